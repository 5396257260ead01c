#include "crash_hook.h"

#include <csignal>
#include <cstdlib>
#include <string>

#include "tradeplane/telemetry/log.h"

#include <unistd.h>

namespace tradeplane::execution_service {
namespace {

std::string& Configured() {
  static std::string point;
  return point;
}

}  // namespace

void InitCrashHook() {
  const char* value = std::getenv(kCrashAtVariable);
  Configured() = value == nullptr ? "" : value;
  if (!Configured().empty()) {
    telemetry::LogWarn("test crash hook armed: this process will kill itself",
                       {{"crash_at", Configured()}});
  }
}

void CrashPoint(std::string_view point) {
  if (Configured().empty() || Configured() != point) return;
  telemetry::LogWarn("test crash hook: SIGKILL", {{"crash_at", point}});
  telemetry::FlushLogs();
  ::kill(::getpid(), SIGKILL);
  ::_exit(137);  // not reached
}

}  // namespace tradeplane::execution_service
