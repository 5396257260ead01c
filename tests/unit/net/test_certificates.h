// A throwaway CA and a server certificate it signed (for localhost and
// 127.0.0.1), made with the openssl command line once per test process.
#ifndef TRADEPLANE_TESTS_UNIT_NET_TEST_CERTIFICATES_H_
#define TRADEPLANE_TESTS_UNIT_NET_TEST_CERTIFICATES_H_

#include <string>

namespace tradeplane::net::testing {

struct TestCertificates {
  std::string ca_file;           // PEM: the CA certificate to trust
  std::string certificate_file;  // PEM: the server certificate
  std::string key_file;          // PEM: its private key
};

// Made on first use, in a temporary directory that lives as long as the
// process. Fails the calling test (REQUIRE) when openssl does.
const TestCertificates& Certificates();

}  // namespace tradeplane::net::testing

#endif  // TRADEPLANE_TESTS_UNIT_NET_TEST_CERTIFICATES_H_
