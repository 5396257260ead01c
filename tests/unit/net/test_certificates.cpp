#include "test_certificates.h"

#include <cstdlib>
#include <memory>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

#include <unistd.h>

namespace tradeplane::net::testing {
namespace {

// The openssl binary on PATH (the test support spawns by path, not by name).
std::string OpensslPath() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    std::string dir =
        dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/openssl";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return "openssl";
}

void Run(std::vector<std::string> argv) {
  argv[0] = OpensslPath();
  auto result = tradeplane::testing::RunCommand(argv, std::chrono::seconds(30));
  REQUIRE(result.ok());
  INFO(result->output);
  REQUIRE(result->exit_code == 0);
}

TestCertificates Make(const tradeplane::testing::TempDir& dir) {
  TestCertificates certs{dir.File("ca.pem"), dir.File("server.pem"), dir.File("server.key")};
  // P-256 keys: generated in microseconds, unlike RSA.
  Run({"openssl",
       "req",
       "-x509",
       "-newkey",
       "ec",
       "-pkeyopt",
       "ec_paramgen_curve:prime256v1",
       "-nodes",
       "-keyout",
       dir.File("ca.key"),
       "-out",
       certs.ca_file,
       "-days",
       "2",
       "-subj",
       "/CN=Tradeplane Test CA",
       "-addext",
       "basicConstraints=critical,CA:TRUE",
       "-addext",
       "keyUsage=critical,keyCertSign,cRLSign"});
  Run({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", certs.key_file, "-out", dir.File("server.csr"), "-subj", "/CN=localhost"});
  tradeplane::testing::WriteFile(dir.File("server.ext"),
                                 "basicConstraints=CA:FALSE\n"
                                 "keyUsage=critical,digitalSignature\n"
                                 "extendedKeyUsage=serverAuth\n"
                                 "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  Run({"openssl", "x509", "-req", "-in", dir.File("server.csr"), "-CA", certs.ca_file, "-CAkey",
       dir.File("ca.key"), "-CAcreateserial", "-out", certs.certificate_file, "-days", "2",
       "-extfile", dir.File("server.ext")});
  return certs;
}

}  // namespace

const TestCertificates& Certificates() {
  static auto* dir = new tradeplane::testing::TempDir();  // outlives every test
  static const TestCertificates certs = Make(*dir);
  return certs;
}

}  // namespace tradeplane::net::testing
