#include "tradeplane/bench/bench_args.h"

#include <cstdlib>
#include <string_view>

namespace tradeplane::bench {
namespace {

bool PositiveInt(std::string_view text, int* out) {
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

}  // namespace

bool ParseBenchArgs(int argc, char** argv, BenchArgs* args, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--benchmark_")) continue;
    if (arg == "--help" || arg == "-h") {
      args->help = true;
      continue;
    }
    int* target = nullptr;
    std::string_view name;
    for (auto [flag, field] : {std::pair{std::string_view("--requests"), &args->requests},
                               {std::string_view("--rounds"), &args->rounds}}) {
      if (arg == flag ||
          (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=')) {
        target = field;
        name = flag;
      }
    }
    if (target == nullptr) {
      *error = "unknown argument '" + std::string(arg) + "'";
      return false;
    }
    std::string_view value;
    if (arg.size() > name.size()) {
      value = arg.substr(name.size() + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    if (!PositiveInt(value, target)) {
      *error = std::string(name) + " needs a positive integer, got '" + std::string(value) + "'";
      return false;
    }
  }
  return true;
}

}  // namespace tradeplane::bench
