// Command-line flags in the usual shape: `--name value`, `--name=value`,
// boolean `--switch`, repeatable flags, `-x` short names, positional
// arguments, and `--` to end flags. Unknown flags and missing values are
// errors that say which flag and point to --help.
#ifndef TRADEPLANE_CORE_COMMAND_LINE_H_
#define TRADEPLANE_CORE_COMMAND_LINE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tradeplane {

struct FlagDef {
  std::string name;        // without dashes: "config"
  std::string short_name;  // "o" for -o, or empty
  bool takes_value = true;
  bool repeated = false;
  std::string value_name;  // shown in help: "FILE"
  std::string help;
};

class CommandLine {
 public:
  static absl::StatusOr<CommandLine> Parse(const std::vector<std::string>& args,
                                           const std::vector<FlagDef>& flags);
  static absl::StatusOr<CommandLine> Parse(int argc, char** argv, int first,
                                           const std::vector<FlagDef>& flags);

  bool Has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
  // The (last) value, or `fallback` when absent.
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  const std::vector<std::string>& GetAll(std::string_view name) const;
  // An integer value; error naming the flag when it is not one.
  absl::StatusOr<int64_t> GetInt(std::string_view name, int64_t fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// "  --config FILE   the service config (YAML)" lines for --help.
std::string FlagHelp(const std::vector<FlagDef>& flags);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_COMMAND_LINE_H_
