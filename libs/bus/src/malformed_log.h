// Private: logs refused messages at most once a second per socket, with how
// many were refused in between, so a flood of garbage cannot flood the log.
#ifndef TRADEPLANE_BUS_SRC_MALFORMED_LOG_H_
#define TRADEPLANE_BUS_SRC_MALFORMED_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tradeplane/bus/socket_stats.h"

namespace tradeplane::bus {

class MalformedLog {
 public:
  explicit MalformedLog(std::string_view socket) : socket_(socket) {}
  // Counts in `stats` and maybe logs.
  void Refuse(SocketStats& stats, MalformedReason reason, std::string_view detail);

 private:
  std::string socket_;
  int64_t last_log_ns_ = 0;
  uint64_t suppressed_ = 0;
};

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_SRC_MALFORMED_LOG_H_
