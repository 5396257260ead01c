// tradeplane-recorder: records bus topics to a file, and prints recordings.
//
//   tradeplane-recorder record --connect ENDPOINT [--connect ...] [--topic PREFIX ...]
//                              --out FILE [--max-messages N] [--duration-s S]
//                              [--curve-key-pair FILE --curve-server-key KEY]
//   tradeplane-recorder dump FILE [--allow-truncated]
//
// The file format is in libs/bus/include/tradeplane/bus/recording.h and
// docs/protocol.md. SIGINT or SIGTERM stops a recording cleanly.
#include <csignal>
#include <cstdio>
#include <iostream>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/poller.h"
#include "tradeplane/bus/recording.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/command_line.h"
#include "tradeplane/core/json_format.h"
#include "tradeplane/core/message_registry.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane {
namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

const std::vector<FlagDef> kRecordFlags = {
    {.name = "connect",
     .repeated = true,
     .value_name = "ENDPOINT",
     .help = "a publisher to subscribe to (tcp://, ipc://)"},
    {.name = "topic",
     .repeated = true,
     .value_name = "PREFIX",
     .help = "record topics starting with PREFIX (default: all)"},
    {.name = "out", .value_name = "FILE", .help = "the recording to write"},
    {.name = "max-messages", .value_name = "N", .help = "stop after N messages"},
    {.name = "duration-s", .value_name = "S", .help = "stop after S seconds"},
    {.name = "curve-key-pair", .value_name = "FILE", .help = "this client's CURVE key pair"},
    {.name = "curve-server-key", .value_name = "KEY", .help = "the publisher's CURVE public key"},
    {.name = "help", .takes_value = false, .help = "show this help"},
};

const std::vector<FlagDef> kDumpFlags = {
    {.name = "allow-truncated",
     .takes_value = false,
     .help = "treat a record cut short at the end as the end"},
    {.name = "help", .takes_value = false, .help = "show this help"},
};

void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: tradeplane-recorder record --connect ENDPOINT --out FILE [flags]\n"
               "       tradeplane-recorder dump FILE [--allow-truncated]\n\n"
               "record flags:\n%s\ndump flags:\n%s",
               FlagHelp(kRecordFlags).c_str(), FlagHelp(kDumpFlags).c_str());
}

int Fail(std::string_view message) {
  std::fprintf(stderr, "tradeplane-recorder: %.*s\n", static_cast<int>(message.size()),
               message.data());
  return 2;
}

int Record(const CommandLine& cl) {
  if (cl.GetAll("connect").empty()) return Fail("record needs --connect ENDPOINT (see --help)");
  if (cl.Get("out").empty()) return Fail("record needs --out FILE (see --help)");
  absl::StatusOr<int64_t> max_messages = cl.GetInt("max-messages", 0);
  absl::StatusOr<int64_t> duration_s = cl.GetInt("duration-s", 0);
  if (!max_messages.ok()) return Fail(ToStd(max_messages.status().message()));
  if (!duration_s.ok()) return Fail(ToStd(duration_s.status().message()));
  if (cl.Has("curve-key-pair") != cl.Has("curve-server-key")) {
    return Fail("--curve-key-pair and --curve-server-key go together");
  }

  bus::BusContext ctx({"recorder", 0, 0}, {}, nullptr);
  absl::StatusOr<std::unique_ptr<bus::Subscriber>> sub = bus::Subscriber::Create(ctx, "recorder");
  if (!sub.ok()) return Fail(ToStd(sub.status().message()));
  for (const std::string& endpoint : cl.GetAll("connect")) {
    config::v1::SocketConfig socket;
    socket.set_endpoint(endpoint);
    if (cl.Has("curve-key-pair")) {
      socket.mutable_curve()->set_enabled(true);
      socket.mutable_curve()->set_key_pair_file(cl.Get("curve-key-pair"));
      socket.mutable_curve()->set_server_public_key(cl.Get("curve-server-key"));
    }
    absl::Status s = (*sub)->Connect(socket);
    if (!s.ok()) return Fail(ToStd(s.message()));
  }
  std::vector<std::string> topics = cl.GetAll("topic");
  if (topics.empty()) topics.push_back("");
  for (const std::string& t : topics) {
    absl::Status s = (*sub)->SubscribePrefix(t);
    if (!s.ok()) return Fail(ToStd(s.message()));
  }
  absl::StatusOr<std::unique_ptr<bus::RecordingWriter>> writer =
      bus::RecordingWriter::Create(cl.Get("out"));
  if (!writer.ok()) return Fail(ToStd(writer.status().message()));

  absl::Status write_error;
  (*sub)->OnRaw([&](std::string_view topic, std::string_view envelope, const bus::Delivery&) {
    if (!write_error.ok()) return;
    write_error = (*writer)->Append(SystemClock::Instance().Now().nanos(), topic, envelope);
    if (*max_messages > 0 && (*writer)->records() >= static_cast<uint64_t>(*max_messages)) {
      g_stop = true;
    }
  });
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  int64_t deadline = *duration_s > 0 ? MonotonicNanos() + *duration_s * 1'000'000'000 : 0;
  bus::Poller poller;
  poller.Add(**sub);
  // Flushed often so a reader (or a crash) sees what was recorded.
  poller.AddTimer(std::chrono::milliseconds(100), [&] {
    if (write_error.ok()) write_error = (*writer)->Flush();
    if (deadline != 0 && MonotonicNanos() >= deadline) g_stop = true;
  });
  telemetry::LogInfo("recording", {{"out", cl.Get("out")}});
  while (!g_stop.load() && write_error.ok()) poller.RunOnce(std::chrono::milliseconds(100));
  absl::Status closed = (*writer)->Close();
  if (!write_error.ok()) return Fail(ToStd(write_error.message()));
  if (!closed.ok()) return Fail(ToStd(closed.message()));
  const bus::SocketStats& st = (*sub)->stats();
  std::fprintf(stderr,
               "tradeplane-recorder: %llu messages recorded to %s (%llu gaps, %llu lost, %llu "
               "malformed)\n",
               static_cast<unsigned long long>((*writer)->records()), cl.Get("out").c_str(),
               static_cast<unsigned long long>(st.gaps()),
               static_cast<unsigned long long>(st.lost()),
               static_cast<unsigned long long>(st.malformed_total()));
  telemetry::FlushLogs();
  return 0;
}

int Dump(const CommandLine& cl) {
  if (cl.positional().size() != 2) return Fail("dump needs one FILE (see --help)");
  absl::StatusOr<std::unique_ptr<bus::RecordingReader>> reader =
      bus::RecordingReader::Open(cl.positional()[1]);
  if (!reader.ok()) return Fail(ToStd(reader.status().message()));
  (*reader)->set_allow_truncated_tail(cl.Has("allow-truncated"));
  bus::RecordedMessage m;
  bus::v1::Header header;
  std::string line;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&m);
    if (!more.ok()) return Fail(ToStd(more.status().message()));
    if (!*more) break;
    line.clear();
    line.append(R"({"receive_time":)");
    AppendJsonString(FormatRfc3339(Timestamp::FromNanos(m.receive_time_ns)), &line);
    line.append(R"(,"topic":)");
    AppendJsonString(m.topic, &line);
    std::string_view payload;
    absl::Status decoded = bus::DecodeEnvelope(m.envelope, &header, &payload);
    if (!decoded.ok()) {
      line.append(R"(,"error":)");
      AppendJsonString(ToStd(decoded.message()), &line);
    } else {
      line.append(R"(,"header":)");
      AppendJson(header, {}, &line);
      std::unique_ptr<google::protobuf::Message> msg = NewMessageByName(header.message_type());
      if (msg == nullptr ||
          !msg->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
        line.append(R"(,"error":)");
        AppendJsonString(msg == nullptr ? "unknown message type" : "payload does not parse", &line);
      } else {
        line.append(R"(,"payload":)");
        AppendJson(*msg, {}, &line);
      }
    }
    line.append("}\n");
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}

int Main(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    Usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string_view verb = argv[1];
  const std::vector<FlagDef>& flags = verb == "dump" ? kDumpFlags : kRecordFlags;
  if (verb != "record" && verb != "dump") {
    return Fail(StrCat("unknown command '", verb, "' (record or dump; see --help)"));
  }
  absl::StatusOr<CommandLine> cl = CommandLine::Parse(argc, argv, 1, flags);
  if (!cl.ok()) return Fail(ToStd(cl.status().message()));
  if (cl->Has("help")) {
    Usage(stdout);
    return 0;
  }
  return verb == "record" ? Record(*cl) : Dump(*cl);
}

}  // namespace
}  // namespace tradeplane

int main(int argc, char** argv) { return tradeplane::Main(argc, argv); }
