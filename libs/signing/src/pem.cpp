#include "pem.h"

#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/byte_view.h"

#include "absl/status/status.h"

namespace tradeplane::signing {
namespace {

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kSpace);
  return s.substr(begin, end - begin + 1);
}

}  // namespace

absl::StatusOr<std::string_view> PemBody(std::string_view pem, std::string_view label) {
  std::string begin = StrCat("-----BEGIN ", label, "-----");
  std::string end = StrCat("-----END ", label, "-----");
  std::string_view text = Trim(pem);
  if (!text.starts_with(begin)) {
    if (text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      return absl::InvalidArgumentError(
          "the PEM key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)");
    }
    return absl::InvalidArgumentError(StrCat("PEM text does not start with ", begin));
  }
  if (!text.ends_with(end)) {
    return absl::InvalidArgumentError(StrCat("PEM text does not end with ", end));
  }
  return text.substr(begin.size(), text.size() - begin.size() - end.size());
}

std::string PemArmour(std::string_view der, std::string_view label) {
  std::string body = Base64Encode(AsBytes(der));
  std::string out = StrCat("-----BEGIN ", label, "-----\n");
  for (size_t i = 0; i < body.size(); i += 64) {
    StrAppend(&out, std::string_view(body).substr(i, 64), "\n");
  }
  StrAppend(&out, "-----END ", label, "-----\n");
  return out;
}

}  // namespace tradeplane::signing
