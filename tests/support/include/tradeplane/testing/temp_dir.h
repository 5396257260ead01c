#ifndef TRADEPLANE_TESTING_TEMP_DIR_H_
#define TRADEPLANE_TESTING_TEMP_DIR_H_

#include <string>

namespace tradeplane::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// the object goes away. Short paths, so ipc:// endpoints fit in sun_path.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // "ipc://<dir>/<name>"
  std::string Ipc(const std::string& name) const { return "ipc://" + File(name); }

 private:
  std::string path_;
};

// Writes `contents` to `path`, replacing it.
void WriteFile(const std::string& path, const std::string& contents);
std::string ReadFile(const std::string& path);

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTING_TEMP_DIR_H_
