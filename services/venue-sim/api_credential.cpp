#include "api_credential.h"

#include <fstream>
#include <sstream>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/query_string.h"
#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/hex.h"

namespace tradeplane::venue_sim {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

absl::StatusOr<ApiCredential> ApiCredential::Parse(std::string_view contents,
                                                   std::string_view where) {
  std::string_view text = Trim(contents);
  ApiCredential c;
  if (text.find("-----BEGIN PUBLIC KEY-----") != std::string_view::npos) {
    absl::StatusOr<signing::Ed25519PublicKey> key = signing::Ed25519PublicKey::FromPem(text);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          StrCat(where, ": not an Ed25519 public key: ", ToStd(key.status().message())));
    }
    c.kind_ = Kind::kEd25519;
    c.ed25519_ = *key;
    return c;
  }
  if (text.find("-----BEGIN") != std::string_view::npos) {
    return absl::InvalidArgumentError(
        StrCat(where,
               ": a PEM file that is not a public key; for an Ed25519 API key give the PUBLIC key "
               "(-----BEGIN PUBLIC KEY-----), the simulator only verifies signatures"));
  }
  if (text.empty()) {
    return absl::InvalidArgumentError(StrCat(where, ": empty; expected an HMAC secret key"));
  }
  for (char ch : text) {
    if (ch <= ' ' || ch > '~') {
      return absl::InvalidArgumentError(
          StrCat(where, ": an HMAC secret key must be one line of printable characters"));
    }
  }
  absl::StatusOr<signing::HmacSha256Key> key = signing::HmacSha256Key::Create(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        StrCat(where, ": cannot prepare the HMAC key: ", ToStd(key.status().message())));
  }
  c.kind_ = Kind::kHmacSha256;
  c.hmac_.emplace(std::move(*key));
  return c;
}

absl::StatusOr<ApiCredential> ApiCredential::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(StrCat("cannot read API key file '", path, "'"));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), StrCat("API key file '", path, "'"));
}

bool ApiCredential::Verify(std::string_view payload, std::string_view signature) const {
  if (kind_ == Kind::kHmacSha256) {
    if (signature.size() != 64) return false;
    signing::HmacSha256Tag tag = hmac_->Sign(payload);
    std::string expected = signing::HexEncode(tag);
    unsigned diff = 0;  // no early exit: the time taken says nothing about the tag
    for (size_t i = 0; i < 64; ++i) {
      diff |= static_cast<unsigned>(expected[i] ^ Lower(signature[i]));
    }
    return diff == 0;
  }
  absl::StatusOr<std::string> base64 = net::PercentDecode(signature, /*plus_as_space=*/false);
  if (!base64.ok()) return false;
  absl::StatusOr<std::string> raw = signing::Base64Decode(*base64);
  if (!raw.ok() || raw->size() != 64) return false;
  signing::Ed25519Signature sig;
  std::copy(raw->begin(), raw->end(), sig.begin());
  return ed25519_.Verify(payload, sig);
}

}  // namespace tradeplane::venue_sim
