// tradeplane-keygen: the secrets a deployment generates for itself.
//
//   tradeplane-keygen curve FILE       a CURVE key pair file (mode 0600); prints the public key
//   tradeplane-keygen token NAME       an admin token "NAME:<48 random hex characters>"
//   tradeplane-keygen secret BYTES     BYTES random bytes as hex (e.g. the approval key)
//
// scripts/gen-secrets.sh calls it; nothing here is ever committed.
#include <cstdio>
#include <string>

#include "tradeplane/bus/curve.h"
#include "tradeplane/core/str_cat.h"

#include <sys/random.h>

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "tradeplane-keygen: %s\n", message.c_str());
  return 2;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  size_t got = 0;
  while (got < bytes) {
    ssize_t n = getrandom(raw.data() + got, bytes - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "--help" || verb == "-h") {
    std::printf(
        "usage: tradeplane-keygen curve FILE | token NAME | secret BYTES\n"
        "  curve FILE    write a CURVE key pair file (mode 0600), print its public key\n"
        "  token NAME    print an admin token NAME:<random hex>\n"
        "  secret BYTES  print BYTES random bytes as hex\n");
    return 0;
  }
  if (argc != 3) return Fail("usage: tradeplane-keygen curve FILE | token NAME | secret BYTES");
  std::string arg = argv[2];
  if (verb == "curve") {
    absl::StatusOr<tradeplane::bus::CurveKeyPair> pair = tradeplane::bus::GenerateCurveKeyPair();
    if (!pair.ok()) return Fail(std::string(tradeplane::ToStd(pair.status().message())));
    absl::Status s = tradeplane::bus::WriteCurveKeyPair(*pair, arg);
    if (!s.ok()) return Fail(std::string(tradeplane::ToStd(s.message())));
    std::printf("%s\n", pair->public_key.c_str());
    return 0;
  }
  if (verb == "token") {
    if (arg.empty() || arg.find(':') != std::string::npos) return Fail("NAME must not contain ':'");
    std::printf("%s:%s\n", arg.c_str(), RandomHex(24).c_str());
    return 0;
  }
  if (verb == "secret") {
    int n = std::atoi(arg.c_str());
    if (n < 16 || n > 1024) return Fail("BYTES must be 16..1024");
    std::printf("%s\n", RandomHex(static_cast<size_t>(n)).c_str());
    return 0;
  }
  return Fail("unknown command '" + verb + "' (curve, token, secret)");
}
