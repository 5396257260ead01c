#include "malformed_log.h"

#include "tradeplane/core/clock.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::bus {

void MalformedLog::Refuse(SocketStats& stats, MalformedReason reason, std::string_view detail) {
  stats.CountMalformed(reason);
  int64_t now = MonotonicNanos();
  if (last_log_ns_ != 0 && now - last_log_ns_ < 1'000'000'000) {
    ++suppressed_;
    return;
  }
  last_log_ns_ = now;
  telemetry::LogWarn("bus message refused", {{"socket", socket_},
                                             {"reason", MalformedReasonName(reason)},
                                             {"detail", detail},
                                             {"suppressed_since_last_log", suppressed_}});
  suppressed_ = 0;
}

}  // namespace tradeplane::bus
