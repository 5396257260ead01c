#include "keystore_file.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "tradeplane/core/str_cat.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tradeplane::signer_service {
namespace {

absl::Status Errno(std::string_view what, const std::string& path) {
  return absl::InternalError(StrCat(what, " '", path, "': ", std::strerror(errno)));
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

absl::StatusOr<std::string> ReadKeystoreFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(
          StrCat("no keystore at '", path, "' (create one with `tradeplane-signer keys init`)"));
    }
    return Errno("cannot read the keystore", path);
  }
  std::string contents;
  char buffer[8192];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status s = Errno("cannot read the keystore", path);
      close(fd);
      return s;
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return contents;
}

absl::Status WriteKeystoreFile(const std::string& path, std::string_view contents,
                               bool create_new) {
  if (create_new && access(path.c_str(), F_OK) == 0) {
    return absl::AlreadyExistsError(
        StrCat("'", path, "' exists: a keystore is never overwritten by init"));
  }
  std::string tmp = StrCat(path, ".tmp.", getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create", tmp);
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status s = Errno("cannot write", tmp);
      close(fd);
      unlink(tmp.c_str());
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    absl::Status s = Errno("cannot sync", tmp);
    close(fd);
    unlink(tmp.c_str());
    return s;
  }
  close(fd);
  if (create_new) {
    // link() fails when the target exists: no race with another init.
    if (link(tmp.c_str(), path.c_str()) != 0) {
      absl::Status s = errno == EEXIST
                           ? absl::AlreadyExistsError(StrCat(
                                 "'", path, "' exists: a keystore is never overwritten by init"))
                           : Errno("cannot create", path);
      unlink(tmp.c_str());
      return s;
    }
    unlink(tmp.c_str());
  } else if (rename(tmp.c_str(), path.c_str()) != 0) {
    absl::Status s = Errno("cannot replace", path);
    unlink(tmp.c_str());
    return s;
  }
  std::string dir = DirectoryOf(path);
  int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);  // the rename itself must survive a crash
    close(dir_fd);
  }
  return absl::OkStatus();
}

absl::StatusOr<KeystoreLock> KeystoreLock::Acquire(const std::string& keystore_path) {
  std::string path = StrCat(keystore_path, ".lock");
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot open the keystore lock", path);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return absl::UnavailableError(
        StrCat("another command is changing the keystore (", path, " is locked): try again"));
  }
  return KeystoreLock(fd);
}

KeystoreLock::KeystoreLock(KeystoreLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

KeystoreLock::~KeystoreLock() {
  if (fd_ >= 0) close(fd_);  // releases the lock
}

absl::StatusOr<FileIdentity> IdentifyFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return Errno("cannot stat", path);
  FileIdentity id;
  id.device = st.st_dev;
  id.inode = st.st_ino;
  id.size = st.st_size;
  id.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return id;
}

}  // namespace tradeplane::signer_service
