#include "tradeplane/surveillance/alert_report.h"

#include <cstdio>
#include <vector>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/json_format.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::surveillance {
namespace {

void AppendCsvField(std::string_view field, std::string* out) {
  bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

std::string Ids(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out.push_back(' ');
    out += id;
  }
  return out;
}

std::string InstrumentText(const v1::MarketAbuseAlert& proto) {
  if (!proto.has_instrument()) return "";
  return InstrumentId::FromProto(proto.instrument()).ToString();
}

// Appends `json` (a pretty-printed message) with every line after the first
// indented by `indent` spaces, so it nests inside the wrapper.
void AppendIndented(std::string_view json, size_t indent, std::string* out) {
  for (char c : json) {
    out->push_back(c);
    if (c == '\n') out->append(indent, ' ');
  }
}

template <typename Proto, typename Fill>
std::string WrapJson(std::string_view key, size_t count, bool pretty, Fill fill) {
  std::string out = StrCat("{", pretty ? "\n  " : "", "\"", key, "\":", pretty ? " " : "", "[");
  Proto proto;
  for (size_t i = 0; i < count; ++i) {
    fill(i, &proto);
    if (i > 0) out.push_back(',');
    if (pretty) {
      out += "\n    ";
      AppendIndented(ToJson(proto, JsonOptions{.pretty = true}), 4, &out);
    } else {
      AppendJson(proto, JsonOptions{}, &out);
    }
  }
  if (pretty)
    out += count == 0 ? "]\n}\n" : "\n  ]\n}\n";
  else
    out += "]}";
  return out;
}

}  // namespace

std::string AlertsToCsv(std::span<const Alert> alerts, const AlertNaming& naming) {
  std::vector<v1::MarketAbuseAlert> protos(alerts.size());
  for (size_t i = 0; i < alerts.size(); ++i) AlertToProto(alerts[i], naming, &protos[i]);
  return AlertsToCsv(protos);
}

std::string AlertsToCsv(std::span<const v1::MarketAbuseAlert> alerts) {
  std::string out =
      "alert_id,type,severity,instrument,subject,window_start,window_end,raised,order_ids,"
      "fill_ids,metrics,indicator,explanation,acknowledged,ack_by,ack_note\n";
  for (const v1::MarketAbuseAlert& proto : alerts) {
    std::string metrics;
    for (const v1::Metric& m : proto.evidence().metrics()) {
      if (!metrics.empty()) metrics += "; ";
      StrAppend(&metrics, m.name(), "=", Number(m.value()), " (threshold ", Number(m.threshold()),
                ")");
    }
    std::string fields[] = {
        proto.alert_id(),
        std::string(ShortEnumName(proto.type())),
        std::string(ShortEnumName(proto.severity())),
        InstrumentText(proto),
        proto.subject(),
        FormatRfc3339(Timestamp::FromNanos(proto.window_start_ns())),
        FormatRfc3339(Timestamp::FromNanos(proto.window_end_ns())),
        FormatRfc3339(Timestamp::FromNanos(proto.raised_ns())),
        Ids(proto.evidence().order_ids()),
        Ids(proto.evidence().fill_ids()),
        metrics,
        proto.indicator(),
        proto.explanation(),
        proto.acknowledged() ? "true" : "false",
        proto.ack_by(),
        proto.ack_note(),
    };
    bool first = true;
    for (const std::string& field : fields) {
      if (!first) out.push_back(',');
      first = false;
      AppendCsvField(field, &out);
    }
    out.push_back('\n');
  }
  return out;
}

std::string AlertsToJson(std::span<const Alert> alerts, const AlertNaming& naming, bool pretty) {
  return WrapJson<v1::MarketAbuseAlert>(
      "alerts", alerts.size(), pretty,
      [&](size_t i, v1::MarketAbuseAlert* proto) { AlertToProto(alerts[i], naming, proto); });
}

std::string AlertsToJson(std::span<const v1::MarketAbuseAlert> alerts, bool pretty) {
  return WrapJson<v1::MarketAbuseAlert>(
      "alerts", alerts.size(), pretty,
      [&](size_t i, v1::MarketAbuseAlert* proto) { *proto = alerts[i]; });
}

std::string TapeStatisticsToJson(std::span<const TapeStatisticsRecord> records,
                                 const InstrumentTable* instruments, bool pretty) {
  return WrapJson<v1::TapeStatistics>(
      "tape_statistics", records.size(), pretty,
      [&](size_t i, v1::TapeStatistics* proto) { records[i].ToProto(instruments, proto); });
}

}  // namespace tradeplane::surveillance
