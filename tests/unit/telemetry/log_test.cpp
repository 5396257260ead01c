#include "tradeplane/telemetry/log.h"

#include <catch2/catch.hpp>

#include "tradeplane/telemetry/trace_context.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::telemetry {
namespace {

TEST_CASE("log lines are JSON with service, instance, trace and fields", "[telemetry][log]") {
  testing::TempDir dir;
  REQUIRE(InitLogging({.service = "risk",
                       .instance = 2,
                       .level = LogLevel::kInfo,
                       .file = dir.File("log.jsonl")})
              .ok());
  SpanContext ctx =
      *SpanContext::FromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  {
    ScopedTraceContext scope(ctx);
    LogWarn("intent refused", {{"code", "PRICE_COLLAR"},
                               {"qty", 10},
                               {"ratio", 0.5},
                               {"ok", false},
                               {"note", "line\nbreak \"quoted\""}});
  }
  LogDebug("not shown at info");
  LogInfo("after the span");
  FlushLogs();
  std::string out = testing::ReadFile(dir.File("log.jsonl"));
  CHECK_THAT(out, Catch::Contains(R"("level":"warn","service":"risk","instance":2,)"
                                  R"("trace_id":"4bf92f3577b34da6a3ce929d0e0e4736",)"
                                  R"("span_id":"00f067aa0ba902b7","msg":"intent refused",)"
                                  R"("code":"PRICE_COLLAR","qty":10,"ratio":0.5,"ok":false,)"
                                  R"("note":"line\nbreak \"quoted\""})"));
  CHECK_THAT(out, !Catch::Contains("not shown"));
  CHECK_THAT(out, Catch::Contains(R"("instance":2,"msg":"after the span"})"));
  CHECK(std::count(out.begin(), out.end(), '\n') == 2);
  SetLogLevel(LogLevel::kDebug);
  LogDebug("now shown");
  FlushLogs();
  CHECK_THAT(testing::ReadFile(dir.File("log.jsonl")), Catch::Contains("now shown"));
  SetLogLevel(LogLevel::kInfo);
  CHECK(DroppedLogLines() == 0);
}

TEST_CASE("log levels parse by name", "[telemetry][log]") {
  CHECK(*ParseLogLevel("debug") == LogLevel::kDebug);
  CHECK(*ParseLogLevel("warning") == LogLevel::kWarn);
  CHECK_THAT(std::string(ParseLogLevel("loud").status().message()),
             Catch::Contains("one of trace, debug"));
  CHECK(LogLevelName(LogLevel::kError) == "error");
}

TEST_CASE("an unwritable log file is an error, not a crash", "[telemetry][log]") {
  // A directory cannot be made under a regular file, even as root.
  testing::TempDir dir;
  testing::WriteFile(dir.File("plain"), "");
  absl::Status s = InitLogging({.file = dir.File("plain") + "/log"});
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(s.message()), Catch::Contains("cannot open log file"));
}

}  // namespace
}  // namespace tradeplane::telemetry
