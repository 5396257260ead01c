#include "tradeplane/signing/base64.h"

#include <sodium.h>

#include "absl/status/status.h"
#include "sodium_init.h"

namespace tradeplane::signing {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;

// Decodes into `out` (at least text.size() * 3 / 4 bytes); returns the length.
absl::StatusOr<size_t> DecodeInto(std::string_view text, uint8_t* out, size_t capacity) {
  if (absl::Status s = EnsureSodiumInitialized(); !s.ok()) return s;
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out, capacity, text.data(), text.size(), "\r\n ", &length, &end,
                        kVariant) != 0 ||
      end != text.data() + text.size()) {
    return absl::InvalidArgumentError("text is not valid base64");
  }
  return length;
}

}  // namespace

std::string Base64Encode(std::span<const uint8_t> bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

absl::StatusOr<std::string> Base64Decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  absl::StatusOr<size_t> length =
      DecodeInto(text, reinterpret_cast<uint8_t*>(out.data()), out.size());
  if (!length.ok()) return length.status();
  out.resize(*length);
  return out;
}

absl::StatusOr<SecretBytes> Base64DecodeSecret(std::string_view text) {
  absl::StatusOr<SecretBytes> out = SecretBytes::Allocate(text.size() / 4 * 3 + 3);
  if (!out.ok()) return out.status();
  absl::StatusOr<size_t> length = DecodeInto(text, out->data(), out->size());
  if (!length.ok()) return length.status();
  out->Truncate(*length);
  return out;
}

}  // namespace tradeplane::signing
