// The keystore on disk: the bytes libs/signing's Keystore reads and writes
// (docs/reference/keystore-format.md), written so that a crash never leaves a
// half-written file and two `keys` commands never interleave.
#ifndef TRADEPLANE_SERVICES_SIGNER_KEYSTORE_FILE_H_
#define TRADEPLANE_SERVICES_SIGNER_KEYSTORE_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane::signer_service {

absl::StatusOr<std::string> ReadKeystoreFile(const std::string& path);

// Writes `contents` to a temporary file beside `path` (mode 0600), syncs it
// and renames it over `path`. With `create_new`, refuses when `path` exists.
absl::Status WriteKeystoreFile(const std::string& path, std::string_view contents, bool create_new);

// An exclusive lock on "<path>.lock" for a read-modify-write of the keystore.
class KeystoreLock {
 public:
  static absl::StatusOr<KeystoreLock> Acquire(const std::string& keystore_path);
  KeystoreLock(KeystoreLock&& other) noexcept;
  KeystoreLock& operator=(KeystoreLock&&) = delete;
  ~KeystoreLock();

 private:
  explicit KeystoreLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Tells whether the file changed since it was last read (a `keys` command
// replaced it): device, inode, size and modification time.
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;

  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};
absl::StatusOr<FileIdentity> IdentifyFile(const std::string& path);

}  // namespace tradeplane::signer_service

#endif  // TRADEPLANE_SERVICES_SIGNER_KEYSTORE_FILE_H_
