#include "tradeplane/telemetry/log.h"

#include <cmath>
#include <memory>
#include <mutex>

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/json_format.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/trace_context.h"

namespace tradeplane::telemetry {
namespace log_internal {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
}  // namespace log_internal

namespace {

struct LoggerState {
  std::mutex mu;
  std::shared_ptr<spdlog::logger> logger;
  std::shared_ptr<spdlog::details::thread_pool> pool;
  std::shared_ptr<spdlog::sinks::sink> sink;
  size_t queue_size = 0;
  std::string prefix = R"(,"service":"tradeplane","instance":0)";
};

LoggerState& State() {
  static LoggerState* state = new LoggerState();  // never destroyed: logging works during exit
  return *state;
}

// The logger and the line prefix naming this process; a synchronous stderr
// logger until InitLogging replaces it.
std::shared_ptr<spdlog::logger> CurrentLogger(std::string* prefix = nullptr) {
  LoggerState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.logger == nullptr) {
    s.logger = std::make_shared<spdlog::logger>("tradeplane",
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
    s.logger->set_pattern("%v");
    s.logger->set_level(spdlog::level::trace);
  }
  if (prefix != nullptr) prefix->append(s.prefix);
  return s.logger;
}

std::pair<std::shared_ptr<spdlog::logger>, std::shared_ptr<spdlog::details::thread_pool>>
MakeAsyncLogger(std::shared_ptr<spdlog::sinks::sink> sink, size_t queue_size) {
  auto pool = std::make_shared<spdlog::details::thread_pool>(queue_size, 1);
  auto logger = std::make_shared<spdlog::async_logger>(
      "tradeplane", std::move(sink), pool, spdlog::async_overflow_policy::overrun_oldest);
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::warn);
  return {logger, pool};
}

constexpr std::string_view kLevelNames[] = {"trace", "debug",    "info", "warn",
                                            "error", "critical", "off"};

}  // namespace

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view name) {
  for (size_t i = 0; i < std::size(kLevelNames); ++i) {
    if (name == kLevelNames[i]) return static_cast<LogLevel>(i);
  }
  if (name == "warning") return LogLevel::kWarn;
  return absl::InvalidArgumentError(StrCat(
      "unknown log level '", name, "' (one of trace, debug, info, warn, error, critical, off)"));
}

std::string_view LogLevelName(LogLevel level) {
  int i = static_cast<int>(level);
  return i >= 0 && i < static_cast<int>(std::size(kLevelNames)) ? kLevelNames[i] : "unknown";
}

void LogField::AppendTo(std::string* out) const {
  out->push_back(',');
  AppendJsonString(key_, out);
  out->push_back(':');
  switch (kind_) {
    case kString:
      AppendJsonString(str_, out);
      break;
    case kInt:
      StrAppend(out, int_);
      break;
    case kUint:
      StrAppend(out, uint_);
      break;
    case kDouble:
      if (std::isfinite(double_)) {
        StrAppend(out, double_);
      } else {
        out->append("null");
      }
      break;
    case kBool:
      out->append(bool_ ? "true" : "false");
      break;
    case kStatus:
      AppendJsonString(status_->ToString(), out);
      break;
  }
}

absl::Status InitLogging(const LogOptions& options) {
  std::shared_ptr<spdlog::sinks::sink> sink;
  try {
    if (options.file.empty()) {
      sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file, /*truncate=*/false);
    }
  } catch (const spdlog::spdlog_ex& e) {
    return absl::InvalidArgumentError(
        StrCat("cannot open log file '", options.file, "': ", e.what()));
  }
  auto [logger, pool] = MakeAsyncLogger(sink, options.queue_size);
  std::string prefix = R"(,"service":)";
  AppendJsonString(options.service, &prefix);
  StrAppend(&prefix, R"(,"instance":)", options.instance);
  std::shared_ptr<spdlog::logger> old;
  {
    LoggerState& s = State();
    std::lock_guard<std::mutex> lock(s.mu);
    old = s.logger;
    s.logger = logger;
    s.pool = pool;
    s.sink = sink;
    s.queue_size = options.queue_size;
    s.prefix = prefix;
  }
  if (old != nullptr) old->flush();
  SetLogLevel(options.level);
  return absl::OkStatus();
}

void FlushLogs() {
  // spdlog's asynchronous flush does not wait; a thread pool's destructor
  // drains its queue and joins. So swap in a fresh pool and let the old go.
  std::shared_ptr<spdlog::logger> old_logger;
  std::shared_ptr<spdlog::details::thread_pool> old_pool;
  {
    LoggerState& s = State();
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.pool == nullptr) {
      if (s.logger != nullptr) s.logger->flush();
      return;
    }
    old_logger = s.logger;
    old_pool = s.pool;
    std::tie(s.logger, s.pool) = MakeAsyncLogger(s.sink, s.queue_size);
  }
  old_logger->flush();
  old_logger.reset();
  old_pool.reset();
  LoggerState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  s.sink->flush();
}

void FlushLogsAsync() {
  std::shared_ptr<spdlog::logger> logger = CurrentLogger();
  if (logger != nullptr) logger->flush();
}

void SetLogLevel(LogLevel level) {
  log_internal::g_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

LogLevel GetLogLevel() {
  return static_cast<LogLevel>(log_internal::g_level.load(std::memory_order_relaxed));
}

uint64_t DroppedLogLines() {
  LoggerState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.pool == nullptr ? 0 : s.pool->overrun_counter();
}

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!ShouldLog(level) || level == LogLevel::kOff) return;
  std::string line;
  line.reserve(256);
  line.append(R"({"ts":")");
  line.append(FormatRfc3339(SystemClock::Instance().Now()));
  line.append(R"(","level":")");
  line.append(LogLevelName(level));
  line.push_back('"');
  std::shared_ptr<spdlog::logger> logger = CurrentLogger(&line);
  const SpanContext& trace = CurrentSpanContext();
  if (trace.valid()) {
    StrAppend(&line, R"(,"trace_id":")", trace.TraceIdHex(), R"(","span_id":")", trace.SpanIdHex(),
              "\"");
  }
  line.append(R"(,"msg":)");
  AppendJsonString(message, &line);
  for (const LogField& f : fields) f.AppendTo(&line);
  line.push_back('}');
  logger->log(static_cast<spdlog::level::level_enum>(static_cast<int>(level)), "{}", line);
}

}  // namespace tradeplane::telemetry
