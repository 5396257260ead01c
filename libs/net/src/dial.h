// The client side's way to a peer: resolve, connect and (for https and wss)
// the TLS handshake, each bounded by one deadline. Shared by HttpClient and
// WebSocketClient.
#ifndef TRADEPLANE_NET_SRC_DIAL_H_
#define TRADEPLANE_NET_SRC_DIAL_H_

#include <memory>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/url.h"

#include "absl/status/status.h"
#include "error_status.h"
#include "io_wait.h"
#include "tls_context.h"

namespace tradeplane::net {

// What a client call is about, for messages and deadlines.
struct ClientCall {
  std::string what;   // "GET", "WebSocket connect"
  std::string where;  // "https://host:443/path"
  std::chrono::milliseconds timeout;
  SteadyTime deadline;

  [[nodiscard]] absl::Status TimedOut(std::string_view step) const {
    return absl::DeadlineExceededError(
        StrCat(what, " ", where, ": timed out after ", timeout.count(), " ms while ", step));
  }
  [[nodiscard]] absl::Status Failed(const boost::system::error_code& ec,
                                    std::string_view step) const {
    return ErrorToStatus(ec, what, where, step);
  }
};

inline void CloseSocket(boost::beast::tcp_stream& stream) {
  boost::system::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
}

// Resolves url.host and connects `stream` (not yet open) to the first
// endpoint that answers. Sets TCP_NODELAY: requests are small and latency counts.
inline absl::Status DialTcp(boost::asio::io_context& io, boost::beast::tcp_stream& stream,
                            const Url& url, const ClientCall& call) {
  using tcp = boost::asio::ip::tcp;
  // The system resolver cannot be interrupted: a cancelled lookup completes
  // only when getaddrinfo returns. So the lookup's state lives on the heap,
  // held by its handler, and a deadline returns at once without draining it.
  struct Lookup {
    explicit Lookup(boost::asio::io_context& context) : resolver(context) {}
    tcp::resolver resolver;
    bool done = false;
    boost::system::error_code ec;
    tcp::resolver::results_type endpoints;
  };
  auto lookup = std::make_shared<Lookup>(io);
  lookup->resolver.async_resolve(
      url.host, std::to_string(url.port),
      [lookup](boost::system::error_code e, tcp::resolver::results_type results) {
        lookup->ec = e;
        lookup->endpoints = std::move(results);
        lookup->done = true;
      });
  if (!RunUntil(
          io, [&] { return lookup->done; }, call.deadline)) {
    lookup->resolver.cancel();
    return call.TimedOut(StrCat("resolving ", url.host));
  }
  if (lookup->ec) return call.Failed(lookup->ec, StrCat("resolving ", url.host));
  tcp::resolver::results_type endpoints = std::move(lookup->endpoints);
  bool done = false;
  boost::system::error_code ec;
  stream.async_connect(endpoints, [&](boost::system::error_code e, const tcp::endpoint&) {
    ec = e;
    done = true;
  });
  if (RunUntilOrAbort(
          io, [&] { return done; }, call.deadline, [&] { CloseSocket(stream); }) ==
      WaitResult::kDeadline) {
    return call.TimedOut("connecting");
  }
  if (ec) return call.Failed(ec, "connect");
  stream.socket().set_option(tcp::no_delay(true), ec);
  return absl::OkStatus();
}

// The client TLS handshake on a connected stream: SNI, host name check,
// certificate verification; a failure says OpenSSL's verdict.
inline absl::Status HandshakeTls(boost::asio::io_context& io,
                                 boost::beast::ssl_stream<boost::beast::tcp_stream>& stream,
                                 const Url& url, bool verify_peer, const ClientCall& call) {
  std::string why = PrepareClientTls(stream.native_handle(), url.host, verify_peer);
  if (!why.empty()) return absl::InternalError(StrCat(call.what, " ", call.where, ": ", why));
  bool done = false;
  boost::system::error_code ec;
  stream.async_handshake(boost::asio::ssl::stream_base::client, [&](boost::system::error_code e) {
    ec = e;
    done = true;
  });
  if (RunUntilOrAbort(
          io, [&] { return done; }, call.deadline,
          [&] { CloseSocket(boost::beast::get_lowest_layer(stream)); }) == WaitResult::kDeadline) {
    return call.TimedOut("in the TLS handshake");
  }
  if (ec) {
    absl::Status status = call.Failed(ec, "TLS handshake");
    std::string verdict = VerifyFailureReason(stream.native_handle());
    if (verdict.empty()) return status;
    return absl::UnavailableError(StrCat(status.message(), " (", verdict, ")"));
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_SRC_DIAL_H_
