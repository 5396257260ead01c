#include "tradeplane/bench/bench_flags.h"

namespace tradeplane::bench {

bool ParsePositiveInt(std::string_view text, int* out) {
  if (text.empty() || text.size() > 9) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value <= 0) return false;
  *out = value;
  return true;
}

BenchFlag PositiveIntFlag(std::string_view name, int* target) {
  return {name, [target](std::string_view value, std::string* problem) {
            if (ParsePositiveInt(value, target)) return true;
            *problem = "needs a positive integer";
            return false;
          }};
}

bool ParseBenchFlags(int argc, char** argv, std::initializer_list<BenchFlag> flags, bool* help,
                     std::string* error) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--benchmark_")) continue;
    if (arg == "--help" || arg == "-h") {
      *help = true;
      continue;
    }
    const BenchFlag* flag = nullptr;
    for (const BenchFlag& candidate : flags) {
      std::string_view name = candidate.name;
      if (arg == name ||
          (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=')) {
        flag = &candidate;
      }
    }
    if (flag == nullptr) {
      *error = "unknown argument '" + std::string(arg) + "'";
      return false;
    }
    std::string_view value;
    if (arg.size() > flag->name.size()) {
      value = arg.substr(flag->name.size() + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    std::string problem;
    if (!flag->set(value, &problem)) {
      *error = std::string(flag->name) + " " + problem + ", got '" + std::string(value) + "'";
      return false;
    }
  }
  return true;
}

}  // namespace tradeplane::bench
