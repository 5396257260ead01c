// TLS settings for clients (whom to trust) and servers (who we are).
#ifndef TRADEPLANE_NET_TLS_OPTIONS_H_
#define TRADEPLANE_NET_TLS_OPTIONS_H_

#include <string>

namespace tradeplane::net {

struct TlsClientOptions {
  // Trust the system's CA store (/etc/ssl/certs through OpenSSL's defaults).
  bool use_system_ca = true;
  // A PEM file of further CAs to trust (a test CA, a private venue); empty: none.
  std::string ca_file;
  // Check the peer's certificate chain and that it names the host dialled
  // (DNS name or IP address). Turn off only for a throwaway test.
  bool verify_peer = true;
};

struct TlsServerOptions {
  // PEM: the server certificate, then any intermediates.
  std::string certificate_chain_file;
  // PEM: the certificate's private key (unencrypted).
  std::string private_key_file;
};

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_TLS_OPTIONS_H_
