// SecretBytes: the one container for secret material in the signer.
//
// The bytes live in memory from sodium_malloc: guard pages on both sides, a
// canary in front, locked in RAM where the process's locked-memory limit
// allows (so they are not swapped), and wiped with sodium_memzero before they
// are freed. The type is move-only (a copy of a secret is always an explicit
// Clone()) and deliberately has no operator<<, no ToString and no operator==,
// so neither a log line, a Status message nor a test framework can print it.
#ifndef TRADEPLANE_SIGNING_SECRET_BYTES_H_
#define TRADEPLANE_SIGNING_SECRET_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane::signing {

class SecretBytes {
 public:
  // Empty: owns nothing.
  SecretBytes() = default;
  ~SecretBytes();

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  // `size` zero bytes. Fails only when the guarded allocation fails.
  static absl::StatusOr<SecretBytes> Allocate(size_t size);
  // A guarded copy of `bytes`. The caller remains responsible for wiping its
  // own copy (see Wipe below).
  static absl::StatusOr<SecretBytes> Copy(std::span<const uint8_t> bytes);
  static absl::StatusOr<SecretBytes> Copy(std::string_view bytes);

  // An explicit second copy (for example, to hand a key to another owner).
  absl::StatusOr<SecretBytes> Clone() const;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  std::span<uint8_t> mutable_bytes() { return {data_, size_}; }
  // The bytes as characters, for secrets that are text (an API secret as the
  // venue issues it, a passphrase). Never pass this to a log or a message.
  std::string_view chars() const { return {reinterpret_cast<const char*>(data_), size_}; }

  // Constant-time comparison (sodium_memcmp); false when sizes differ.
  bool ConstantTimeEquals(std::span<const uint8_t> other) const;

  // Shrinks the visible size (the tail is wiped); used after decoding into a
  // buffer sized for the worst case. `new_size` must not exceed size().
  void Truncate(size_t new_size);

 private:
  void Release();

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// sodium_memzero on memory the caller owns (stack buffers, std::string
// scratch): the compiler may not optimise it away.
void Wipe(std::span<uint8_t> bytes);
void Wipe(std::string* text);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_SECRET_BYTES_H_
