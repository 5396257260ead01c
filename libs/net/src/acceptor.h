// Binding a listening socket for the servers, with errors that name the address.
#ifndef TRADEPLANE_NET_SRC_ACCEPTOR_H_
#define TRADEPLANE_NET_SRC_ACCEPTOR_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

#include "absl/status/status.h"

namespace tradeplane::net {

// Opens, binds (SO_REUSEADDR, so a restarted server gets its port back while
// old connections linger in TIME_WAIT) and listens. INVALID_ARGUMENT for an
// address that is not an IP literal, UNAVAILABLE when binding fails. `what`
// names the server in messages ("HTTP server", "WebSocket server").
absl::Status OpenAcceptor(boost::asio::ip::tcp::acceptor& acceptor, const std::string& bind_address,
                          uint16_t port, std::string_view what);

// "127.0.0.1:7800", "[::1]:7800".
std::string EndpointText(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_SRC_ACCEPTOR_H_
