// Turning a Boost error_code into an absl::Status that says what, where and why.
#ifndef TRADEPLANE_NET_SRC_ERROR_STATUS_H_
#define TRADEPLANE_NET_SRC_ERROR_STATUS_H_

#include <string_view>

#include <boost/system/error_code.hpp>

#include "absl/status/status.h"

namespace tradeplane::net {

// "<what> <where>: <step>: <ec.message()>". Limits exceeded (body, header,
// message size) map to RESOURCE_EXHAUSTED, timeouts to DEADLINE_EXCEEDED,
// everything else that a network can do (refused, reset, unreachable, TLS,
// a malformed or truncated peer message) to UNAVAILABLE.
absl::Status ErrorToStatus(const boost::system::error_code& ec, std::string_view what,
                           std::string_view where, std::string_view step);

// Whether `ec` is the peer going away (EOF, reset, broken pipe, a TLS stream
// truncated): what a reused keep-alive connection shows when the server has
// dropped it.
bool IsConnectionLost(const boost::system::error_code& ec);

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_SRC_ERROR_STATUS_H_
