#include "tradeplane/signing/secret_bytes.h"

#include <cstring>
#include <utility>

#include <sodium.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "sodium_init.h"

namespace tradeplane::signing {

SecretBytes::~SecretBytes() { Release(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void SecretBytes::Release() {
  if (data_ != nullptr) {
    sodium_memzero(data_, size_);
    sodium_free(data_);  // checks the canary, unlocks, frees
    data_ = nullptr;
    size_ = 0;
  }
}

absl::StatusOr<SecretBytes> SecretBytes::Allocate(size_t size) {
  SecretBytes secret;
  if (size == 0) return secret;
  if (absl::Status s = EnsureSodiumInitialized(); !s.ok()) return s;
  void* memory = sodium_malloc(size);
  if (memory == nullptr) {
    return absl::ResourceExhaustedError(
        absl::StrCat("guarded allocation of ", size, " secret bytes failed"));
  }
  secret.data_ = static_cast<uint8_t*>(memory);
  secret.size_ = size;
  sodium_memzero(secret.data_, size);
  return secret;
}

absl::StatusOr<SecretBytes> SecretBytes::Copy(std::span<const uint8_t> bytes) {
  absl::StatusOr<SecretBytes> secret = Allocate(bytes.size());
  if (!secret.ok()) return secret.status();
  if (!bytes.empty()) std::memcpy(secret->data_, bytes.data(), bytes.size());
  return secret;
}

absl::StatusOr<SecretBytes> SecretBytes::Copy(std::string_view bytes) {
  return Copy(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

absl::StatusOr<SecretBytes> SecretBytes::Clone() const { return Copy(bytes()); }

bool SecretBytes::ConstantTimeEquals(std::span<const uint8_t> other) const {
  if (other.size() != size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data(), size_) == 0;
}

void SecretBytes::Truncate(size_t new_size) {
  if (new_size >= size_) return;
  sodium_memzero(data_ + new_size, size_ - new_size);
  // The allocation keeps its original length; Release wipes the visible part,
  // and the tail was wiped just now.
  size_ = new_size;
}

void Wipe(std::span<uint8_t> bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

void Wipe(std::string* text) {
  if (text != nullptr && !text->empty()) sodium_memzero(text->data(), text->size());
}

}  // namespace tradeplane::signing
