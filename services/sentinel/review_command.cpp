// tradeplane-sentinel review: the detectors over a file, for offline review.
//
//   tradeplane-sentinel review --input FILE --format {lobster,bus}
//                              [--config SENTINEL.yaml] [--end RFC3339] [-o table|json|csv]
//
// lobster: a LOBSTER message file (the symbol and date come from its name;
// the participant column names who); bus: a tradeplane-recorder file of
// md.trade/md.book/exec.* messages (every instrument it mentions is watched).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/recording.h"
#include "tradeplane/core/command_line.h"
#include "tradeplane/core/config_loader.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/lobster_format.h"
#include "tradeplane/surveillance/alert_report.h"
#include "tradeplane/surveillance/lobster_adapter.h"
#include "tradeplane/surveillance/review.h"

#include "event_mapper.h"
#include "sentinel_service.h"

namespace tradeplane::sentinel {
namespace {

namespace sv = surveillance;

const std::vector<FlagDef> kFlags = {
    {.name = "input", .value_name = "FILE", .help = "the file to review"},
    {.name = "format",
     .value_name = "FORMAT",
     .help = "lobster or bus (a tradeplane-recorder file)"},
    {.name = "config",
     .value_name = "FILE",
     .help = "a sentinel config: detector parameters, instruments"},
    {.name = "end",
     .value_name = "TIME",
     .help = "RFC 3339: evaluate session-end detectors at this time"},
    {.name = "output", .short_name = "o", .value_name = "FORMAT", .help = "table, json or csv"},
    {.name = "help", .short_name = "h", .takes_value = false, .help = "show this help"},
};

int Fail(std::string_view message) {
  std::fprintf(stderr, "tradeplane-sentinel review: %.*s\n", static_cast<int>(message.size()),
               message.data());
  return 2;
}

// Every message of a recording, as (topic, envelope).
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadRecording(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<bus::RecordingReader>> reader = bus::RecordingReader::Open(path);
  if (!reader.ok()) return reader.status();
  (*reader)->set_allow_truncated_tail(true);
  std::vector<std::pair<std::string, std::string>> out;
  bus::RecordedMessage m;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&m);
    if (!more.ok()) return more.status();
    if (!*more) break;
    out.emplace_back(std::move(m.topic), std::move(m.envelope));
  }
  return out;
}

// The instrument of a recorded message the review maps, if it parses.
std::optional<common::v1::InstrumentId> InstrumentOf(const std::string& type,
                                                     std::string_view payload) {
  auto parse = [&](google::protobuf::Message* m) {
    return m->ParseFromArray(payload.data(), static_cast<int>(payload.size()));
  };
  if (type == "tradeplane.marketdata.v1.Trade") {
    marketdata::v1::Trade m;
    if (parse(&m) && m.has_instrument()) return m.instrument();
  } else if (type == "tradeplane.marketdata.v1.BookSnapshot") {
    marketdata::v1::BookSnapshot m;
    if (parse(&m) && m.has_instrument()) return m.instrument();
  } else if (type == "tradeplane.marketdata.v1.BookDelta") {
    marketdata::v1::BookDelta m;
    if (parse(&m) && m.has_instrument()) return m.instrument();
  } else if (type == "tradeplane.orders.v1.ExecutionReport") {
    orders::v1::ExecutionReport m;
    if (parse(&m) && m.order().has_instrument()) return m.order().instrument();
  } else if (type == "tradeplane.orders.v1.Fill") {
    orders::v1::Fill m;
    if (parse(&m) && m.has_instrument()) return m.instrument();
  }
  return std::nullopt;
}

}  // namespace

int RunReview(int argc, char** argv) {
  absl::StatusOr<CommandLine> cl = CommandLine::Parse(argc, argv, 2, kFlags);
  if (!cl.ok()) return Fail(ToStd(cl.status().message()));
  if (cl->Has("help")) {
    std::printf(
        "usage: tradeplane-sentinel review --input FILE --format {lobster,bus} [flags]\n\n%s",
        FlagHelp(kFlags).c_str());
    return 0;
  }
  std::string input = cl->Get("input"), format = cl->Get("format"),
              output = cl->Get("output", "table");
  if (input.empty()) return Fail("--input FILE is required");
  if (format != "lobster" && format != "bus") return Fail("--format must be lobster or bus");
  if (output != "table" && output != "json" && output != "csv")
    return Fail("-o must be table, json or csv");
  config::v1::SentinelConfig config;
  if (cl->Has("config")) {
    absl::Status s = LoadYamlConfigFile(cl->Get("config"), &config);
    if (!s.ok()) return Fail(ToStd(s.message()));
  }
  absl::StatusOr<sv::EngineConfig> engine_config = sv::EngineConfigFromProto(config);
  if (!engine_config.ok()) return Fail(ToStd(engine_config.status().message()));
  std::optional<Timestamp> end;
  if (cl->Has("end")) {
    absl::StatusOr<Timestamp> t = ParseRfc3339(cl->Get("end"));
    if (!t.ok()) return Fail(ToStd(t.status().message()));
    end = *t;
  }

  InstrumentTable instruments;
  for (const marketdata::v1::Instrument& p : config.instruments()) {
    absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(p);
    if (spec.ok()) (void)instruments.Add(*spec);
  }
  sv::ParticipantTable participants;
  for (const auto& [p, owner] : engine_config->beneficial_owners)
    (void)participants.SetBeneficialOwner(p, owner);
  std::vector<sv::Event> events;
  std::unique_ptr<EventMapper> mapper;
  if (format == "lobster") {
    absl::StatusOr<marketdata::LobsterFileName> name = marketdata::ParseLobsterFileName(input);
    if (!name.ok()) return Fail(StrCat(input, ": ", ToStd(name.status().message())));
    std::optional<InstrumentIndex> i = instruments.Find(common::v1::VENUE_NASDAQ, name->symbol);
    if (!i) {
      InstrumentSpec spec;
      spec.id = {common::v1::VENUE_NASDAQ, name->symbol};
      spec.tick_size = *Price::Parse("0.01");
      spec.lot_size = *Quantity::Parse("1");
      i = *instruments.Add(spec);
    }
    std::ifstream in(input);
    if (!in) return Fail(StrCat("cannot read '", input, "'"));
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<std::vector<sv::Event>> e = sv::EventsFromLobsterText(
        text.str(), {.instrument = *i, .date = name->date}, &participants);
    if (!e.ok()) return Fail(StrCat(input, ": ", ToStd(e.status().message())));
    events = std::move(*e);
  } else {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> records = ReadRecording(input);
    if (!records.ok()) return Fail(ToStd(records.status().message()));
    bus::v1::Header header;
    std::string_view payload;
    // Instruments the recording mentions and the config does not list are
    // watched too, at the finest tick and lot (the detectors need no more).
    for (const auto& [topic, envelope] : *records) {
      if (!bus::DecodeEnvelope(envelope, &header, &payload).ok()) continue;
      std::optional<common::v1::InstrumentId> id = InstrumentOf(header.message_type(), payload);
      if (!id || instruments.Find(InstrumentId::FromProto(*id))) continue;
      InstrumentSpec spec;
      spec.id = InstrumentId::FromProto(*id);
      spec.tick_size = Price::FromRaw(1);
      spec.lot_size = Quantity::FromRaw(1);
      (void)instruments.Add(spec);
    }
    mapper = std::make_unique<EventMapper>(&instruments, &participants);
    Timestamp last;
    for (const auto& [topic, envelope] : *records) {
      if (!bus::DecodeEnvelope(envelope, &header, &payload).ok()) continue;
      std::optional<sv::Event> e;
      const std::string& type = header.message_type();
      auto parse = [&](google::protobuf::Message* m) {
        return m->ParseFromArray(payload.data(), static_cast<int>(payload.size()));
      };
      if (type == "tradeplane.marketdata.v1.Trade") {
        marketdata::v1::Trade m;
        if (parse(&m)) e = mapper->FromTrade(m);
      } else if (type == "tradeplane.marketdata.v1.BookSnapshot") {
        marketdata::v1::BookSnapshot m;
        if (parse(&m)) e = mapper->FromBook(m);
      } else if (type == "tradeplane.marketdata.v1.BookDelta") {
        marketdata::v1::BookDelta m;
        if (parse(&m)) e = mapper->FromBook(m);
      } else if (type == "tradeplane.orders.v1.ExecutionReport") {
        orders::v1::ExecutionReport m;
        if (parse(&m)) e = mapper->FromReport(m);
      } else if (type == "tradeplane.orders.v1.Fill") {
        orders::v1::Fill m;
        if (parse(&m)) e = mapper->FromFill(m);
      }
      if (!e) continue;
      if (e->time < last) e->time = last;
      last = e->time;
      events.push_back(*e);
    }
  }
  absl::StatusOr<sv::ReviewResult> result = sv::Review(events, *engine_config, &participants, end);
  if (!result.ok()) return Fail(ToStd(result.status().message()));
  sv::AlertNaming naming;
  if (mapper != nullptr) {
    naming = mapper->Naming();
  } else {
    naming.instruments = &instruments;
    naming.participants = &participants;
  }
  if (output == "json") {
    std::printf("%s\n", sv::AlertsToJson(result->alerts, naming, /*pretty=*/true).c_str());
  } else if (output == "csv") {
    std::fputs(sv::AlertsToCsv(result->alerts, naming).c_str(), stdout);
  } else {
    std::printf("%zu events, %zu alerts\n", events.size(), result->alerts.size());
    for (const sv::Alert& a : result->alerts) {
      surveillance::v1::MarketAbuseAlert p;
      sv::AlertToProto(a, naming, &p);
      std::printf(
          "%-18s %-9s %-10s %-14s %s\n", std::string(ShortEnumName(p.type())).c_str(),
          std::string(ShortEnumName(p.severity())).c_str(), p.subject().c_str(),
          StrCat(ShortEnumName(p.instrument().venue()), ".", p.instrument().symbol()).c_str(),
          p.explanation().c_str());
    }
  }
  return 0;
}

}  // namespace tradeplane::sentinel
