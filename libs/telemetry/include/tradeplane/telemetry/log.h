// Structured logging: one JSON object per line.
//
//   {"ts":"2026-11-21T23:18:55.123456789Z","level":"warn","service":"risk","instance":0,
//    "trace_id":"4bf9...","span_id":"00f0...","msg":"intent refused","code":"PRICE_COLLAR"}
//
// The line is formatted by the caller and handed to an asynchronous writer
// (spdlog) whose queue, when full, drops the oldest line instead of blocking:
// logging never stalls the hot path. Drops are counted (DroppedLogLines).
// trace_id and span_id come from the calling thread's current span
// (ScopedTraceContext), so logs and traces join.
#ifndef TRADEPLANE_TELEMETRY_LOG_H_
#define TRADEPLANE_TELEMETRY_LOG_H_

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::telemetry {

enum class LogLevel : int { kTrace = 0, kDebug, kInfo, kWarn, kError, kCritical, kOff };

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view name);
std::string_view LogLevelName(LogLevel level);

// A key and a value; the value keeps its JSON type (string, number, bool).
class LogField {
 public:
  LogField(std::string_view key, std::string_view value) : key_(key), kind_(kString), str_(value) {}
  LogField(std::string_view key, const char* value) : LogField(key, std::string_view(value)) {}
  LogField(std::string_view key, const std::string& value)
      : LogField(key, std::string_view(value)) {}
  LogField(std::string_view key, int value) : key_(key), kind_(kInt), int_(value) {}
  LogField(std::string_view key, long value) : key_(key), kind_(kInt), int_(value) {}
  LogField(std::string_view key, long long value) : key_(key), kind_(kInt), int_(value) {}
  LogField(std::string_view key, unsigned value) : key_(key), kind_(kUint), uint_(value) {}
  LogField(std::string_view key, unsigned long value) : key_(key), kind_(kUint), uint_(value) {}
  LogField(std::string_view key, unsigned long long value)
      : key_(key), kind_(kUint), uint_(value) {}
  LogField(std::string_view key, double value) : key_(key), kind_(kDouble), double_(value) {}
  LogField(std::string_view key, bool value) : key_(key), kind_(kBool), bool_(value) {}
  LogField(std::string_view key, const absl::Status& status)
      : key_(key), kind_(kStatus), status_(&status) {}

  void AppendTo(std::string* out) const;

 private:
  enum Kind { kString, kInt, kUint, kDouble, kBool, kStatus };
  std::string_view key_;
  Kind kind_;
  std::string_view str_;
  union {
    int64_t int_;
    uint64_t uint_;
    double double_;
    bool bool_;
    const absl::Status* status_;
  };
};

struct LogOptions {
  std::string service = "tradeplane";
  uint32_t instance = 0;
  LogLevel level = LogLevel::kInfo;
  // Empty: standard error.
  std::string file;
  // Lines held for the writer thread before the oldest are dropped.
  size_t queue_size = 8192;
};

// Replaces the process's logger. Until it is called, lines go synchronously to
// standard error with service "tradeplane".
absl::Status InitLogging(const LogOptions& options);
// Writes everything queued; call before exit.
void FlushLogs();
// Asks the logger to write out what it holds, without waiting (the writing
// happens on the logger's own thread). Services call it every second so that
// a log file is never more than a second behind, even for a process that is
// killed.
void FlushLogsAsync();

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
inline bool ShouldLog(LogLevel level);
uint64_t DroppedLogLines();

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

inline void LogDebug(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kDebug, m, f);
}
inline void LogInfo(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kInfo, m, f);
}
inline void LogWarn(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kWarn, m, f);
}
inline void LogError(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kError, m, f);
}

namespace log_internal {
extern std::atomic<int> g_level;
}  // namespace log_internal

inline bool ShouldLog(LogLevel level) {
  return static_cast<int>(level) >= log_internal::g_level.load(std::memory_order_relaxed);
}

}  // namespace tradeplane::telemetry

#endif  // TRADEPLANE_TELEMETRY_LOG_H_
