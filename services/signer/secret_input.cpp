#include "secret_input.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "tradeplane/core/str_cat.h"

#include <fcntl.h>
#include <unistd.h>

namespace tradeplane::signer_service {
namespace {

bool IsTrailingSpace(uint8_t c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; }

// Where CapturePassphraseEnv keeps the passphrase until ReadPassphrase.
signing::SecretBytes& CapturedPassphrase() {
  static signing::SecretBytes* captured = new signing::SecretBytes();  // never destroyed
  return *captured;
}

}  // namespace

absl::StatusOr<signing::SecretBytes> ReadSecretInput(const std::string& path) {
  const bool from_stdin = path == "-";
  int fd = from_stdin ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(StrCat("cannot read '", path, "': ", std::strerror(errno)));
  }
  // One byte more than allowed, to tell "too long" from "exactly the limit".
  absl::StatusOr<signing::SecretBytes> buffer =
      signing::SecretBytes::Allocate(kMaxSecretInputBytes + 1);
  if (!buffer.ok()) {
    if (!from_stdin) close(fd);
    return buffer.status();
  }
  size_t length = 0;
  while (length < buffer->size()) {
    ssize_t n = read(fd, buffer->data() + length, buffer->size() - length);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      if (!from_stdin) close(fd);
      return absl::InternalError(StrCat("cannot read '", from_stdin ? "standard input" : path,
                                        "': ", std::strerror(error)));
    }
    if (n == 0) break;
    length += static_cast<size_t>(n);
  }
  if (!from_stdin) close(fd);
  if (length > kMaxSecretInputBytes) {
    return absl::InvalidArgumentError(StrCat(from_stdin ? "standard input" : path,
                                             " is larger than ", kMaxSecretInputBytes,
                                             " bytes: not a secret"));
  }
  while (length > 0 && IsTrailingSpace(buffer->data()[length - 1])) --length;
  if (length == 0) {
    return absl::InvalidArgumentError(
        StrCat(from_stdin ? "standard input" : StrCat("'", path, "'"), " is empty"));
  }
  buffer->Truncate(length);
  return buffer;
}

void CapturePassphraseEnv() {
  char* value = std::getenv(kPassphraseEnv);
  if (value == nullptr) return;
  size_t length = std::strlen(value);
  if (length > 0) {
    absl::StatusOr<signing::SecretBytes> copy =
        signing::SecretBytes::Copy(std::string_view(value, length));
    if (copy.ok()) CapturedPassphrase() = *std::move(copy);
  }
  // getenv points into the "NAME=value" entry; once the variable is removed
  // from environ, the whole entry is overwritten where it lies.
  const size_t name_length = std::strlen(kPassphraseEnv);
  char* entry = value - name_length - 1;
  const bool is_entry = std::strncmp(entry, kPassphraseEnv, name_length) == 0;
  unsetenv(kPassphraseEnv);
  if (is_entry) {
    signing::Wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(entry), name_length + 1 + length));
  } else {
    signing::Wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(value), length));
  }
}

absl::StatusOr<signing::SecretBytes> ReadPassphrase(const std::string& file) {
  if (!file.empty()) {
    CapturedPassphrase() = signing::SecretBytes();  // the file wins: drop the other
    absl::StatusOr<signing::SecretBytes> passphrase = ReadSecretInput(file);
    if (!passphrase.ok()) {
      return absl::Status(passphrase.status().code(),
                          StrCat("passphrase file: ", ToStd(passphrase.status().message())));
    }
    return passphrase;
  }
  if (CapturedPassphrase().empty()) {
    return absl::NotFoundError(
        StrCat("no keystore passphrase: set ", kPassphraseEnv, " or give a passphrase file"));
  }
  return std::move(CapturedPassphrase());
}

}  // namespace tradeplane::signer_service
