#include "tradeplane/bus/curve.h"

#include <fstream>
#include <sstream>

#include <zmq.h>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"
#include <sys/stat.h>

namespace tradeplane::bus {

absl::StatusOr<CurveKeyPair> GenerateCurveKeyPair() {
  char pub[41], sec[41];
  if (zmq_curve_keypair(pub, sec) != 0) {
    return absl::InternalError(StrCat("zmq_curve_keypair: ", zmq_strerror(zmq_errno())));
  }
  return CurveKeyPair{pub, sec};
}

absl::Status ValidateZ85Key(const std::string& key) {
  static constexpr std::string_view kAlphabet =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  if (key.size() != 40) {
    return absl::InvalidArgumentError(
        StrCat("a CURVE key is 40 Z85 characters, this one has ", key.size()));
  }
  for (char c : key) {
    if (kAlphabet.find(c) == std::string_view::npos) {
      return absl::InvalidArgumentError("a CURVE key has a character outside the Z85 alphabet");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CurveKeyPair> LoadCurveKeyPair(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(StrCat("cannot open CURVE key pair file '", path, "'"));
  CurveKeyPair pair;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    std::string key = colon == std::string::npos ? "" : line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
    if (key == "public") {
      pair.public_key = value;
    } else if (key == "secret") {
      pair.secret_key = value;
    } else {
      // The line may hold a secret: say where, never what.
      return absl::InvalidArgumentError(
          StrCat(path, ":", line_no, ": expected 'public: <z85>' or 'secret: <z85>'"));
    }
  }
  for (auto [name, value] : {std::pair{"public", &pair.public_key}, {"secret", &pair.secret_key}}) {
    absl::Status s = ValidateZ85Key(*value);
    if (!s.ok())
      return absl::InvalidArgumentError(StrCat(path, ": ", name, " key: ", ToStd(s.message())));
  }
  // The public key must belong to the secret key, or peers will fail the handshake.
  char derived[41];
  if (zmq_curve_public(derived, pair.secret_key.c_str()) != 0 || pair.public_key != derived) {
    return absl::InvalidArgumentError(
        StrCat(path, ": the public key does not belong to the secret key"));
  }
  return pair;
}

absl::Status WriteCurveKeyPair(const CurveKeyPair& pair, const std::string& path) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return absl::PermissionDeniedError(StrCat("cannot write '", tmp, "'"));
    chmod(tmp.c_str(), 0600);
    out << "public: " << pair.public_key << "\nsecret: " << pair.secret_key << "\n";
    if (!out) return absl::DataLossError(StrCat("cannot write '", tmp, "'"));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::PermissionDeniedError(StrCat("cannot rename '", tmp, "' to '", path, "'"));
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::bus
