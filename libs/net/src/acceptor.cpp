#include "acceptor.h"

#include "tradeplane/core/str_cat.h"

namespace tradeplane::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

absl::Status OpenAcceptor(tcp::acceptor& acceptor, const std::string& bind_address, uint16_t port,
                          std::string_view what) {
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(bind_address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        StrCat(what, ": bind address \"", bind_address, "\" is not an IP address"));
  }
  tcp::endpoint endpoint(address, port);
  std::string where = EndpointText(endpoint);
  auto fail = [&](std::string_view step) {
    return absl::UnavailableError(StrCat(what, " on ", where, ": ", step, ": ", ec.message()));
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("opening the socket");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("setting SO_REUSEADDR");
  acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  return absl::OkStatus();
}

std::string EndpointText(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  std::string address = endpoint.address().to_string(ec);
  if (endpoint.address().is_v6()) return StrCat("[", address, "]:", endpoint.port());
  return StrCat(address, ":", endpoint.port());
}

}  // namespace tradeplane::net
