#include "tradeplane/bench/self_path.h"

#include <unistd.h>

namespace tradeplane::bench {

std::string SelfPath() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return "/proc/self/exe";
  return std::string(path, static_cast<size_t>(n));
}

}  // namespace tradeplane::bench
