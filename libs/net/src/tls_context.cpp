#include "tls_context.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::net {

namespace ssl = boost::asio::ssl;

absl::StatusOr<std::unique_ptr<ssl::context>> MakeClientTlsContext(
    const TlsClientOptions& options) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1,
                       ec);
  if (options.use_system_ca) {
    context->set_default_verify_paths(ec);
    if (ec) {
      return absl::InvalidArgumentError(StrCat("TLS: loading the system CA store: ", ec.message()));
    }
  }
  if (!options.ca_file.empty()) {
    context->load_verify_file(options.ca_file, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          StrCat("TLS: loading CA file ", options.ca_file, ": ", ec.message()));
    }
  }
  context->set_verify_mode(options.verify_peer ? ssl::verify_peer : ssl::verify_none, ec);
  return context;
}

absl::StatusOr<std::unique_ptr<ssl::context>> MakeServerTlsContext(
    const TlsServerOptions& options) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       ec);
  context->use_certificate_chain_file(options.certificate_chain_file, ec);
  if (ec) {
    return absl::InvalidArgumentError(StrCat("TLS: loading certificate chain ",
                                             options.certificate_chain_file, ": ", ec.message()));
  }
  context->use_private_key_file(options.private_key_file, ssl::context::pem, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        StrCat("TLS: loading private key ", options.private_key_file, ": ", ec.message()));
  }
  return context;
}

std::string PrepareClientTls(SSL* handle, const std::string& host, bool verify_peer) {
  // SNI: servers that host several names (every CDN in front of a venue) pick
  // the certificate by it. Not sent for IP literals (RFC 6066).
  bool is_ip = host.find_first_not_of("0123456789.") == std::string::npos ||
               host.find(':') != std::string::npos;
  if (!is_ip && SSL_set_tlsext_host_name(handle, host.c_str()) != 1) {
    return "setting the TLS server name (SNI) failed";
  }
  if (!verify_peer) return "";
  X509_VERIFY_PARAM* param = SSL_get0_param(handle);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                 : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (ok != 1) return StrCat("cannot check the certificate against host \"", host, "\"");
  return "";
}

std::string VerifyFailureReason(SSL* handle) {
  long result = SSL_get_verify_result(handle);
  if (result == X509_V_OK) return "";
  return X509_verify_cert_error_string(result);
}

}  // namespace tradeplane::net
