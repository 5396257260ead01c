// OpenSSL contexts built from TlsClientOptions / TlsServerOptions.
#ifndef TRADEPLANE_NET_SRC_TLS_CONTEXT_H_
#define TRADEPLANE_NET_SRC_TLS_CONTEXT_H_

#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/ssl/context.hpp>

#include "tradeplane/net/tls_options.h"

#include "absl/status/statusor.h"

namespace tradeplane::net {

// TLS 1.2 or later; the system CA store and/or `ca_file`; peer verification.
absl::StatusOr<std::unique_ptr<boost::asio::ssl::context>> MakeClientTlsContext(
    const TlsClientOptions& options);

// TLS 1.2 or later with the given certificate chain and key.
absl::StatusOr<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const TlsServerOptions& options);

// Sets SNI and, when `verify_peer`, makes the handshake check that the
// certificate names `host` (DNS name or IP address). Returns why it could
// not, or "".
std::string PrepareClientTls(SSL* ssl, const std::string& host, bool verify_peer);

// After a failed handshake: OpenSSL's verification verdict ("self-signed
// certificate in certificate chain", "hostname mismatch"), or "".
std::string VerifyFailureReason(SSL* ssl);

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_SRC_TLS_CONTEXT_H_
