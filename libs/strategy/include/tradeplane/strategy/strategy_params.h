// Reads and validates a strategy's parameters (StrategyConfig.params, a map
// of name to number): each strategy asks for the names it knows with their
// defaults and ranges, and Finish() refuses anything else. Every message
// names the strategy and the parameter, and carries the parameter's config
// key ("params.<name>", see WithConfigKey).
#ifndef TRADEPLANE_STRATEGY_STRATEGY_PARAMS_H_
#define TRADEPLANE_STRATEGY_STRATEGY_PARAMS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace tradeplane::strategy {

// Errors about one config key carry it, relative to the StrategyConfig
// ("params.fast", "params", "sizing", "instruments", "kind"), as a status
// payload, so that a service can report the key's full path
// ("strategies[2].params.fast"). WithConfigKey keeps a key already set.
absl::Status WithConfigKey(absl::Status status, std::string_view key);
// The key an error is about, or empty.
std::string ConfigKeyOf(const absl::Status& status);

class ParamReader {
 public:
  ParamReader(std::string_view strategy_kind, const std::map<std::string, double>& params)
      : kind_(strategy_kind), params_(params) {}

  // A number in [min, max].
  double Number(std::string_view name, double default_value, double min, double max);
  // A number in (0, max].
  double Positive(std::string_view name, double default_value, double max);
  // A whole number in [min, max].
  int Integer(std::string_view name, int default_value, int min, int max);
  // 0 or 1.
  bool Flag(std::string_view name, bool default_value);
  // A rule between parameters was broken ("fast must be below slow").
  void Fail(std::string_view message);

  // The first error, else unknown names are refused, listing the known ones.
  absl::Status Finish() const;

 private:
  // The value given for `name`, or nullptr; remembers the name as known.
  const double* Find(std::string_view name);
  void Refuse(std::string_view name, double value, std::string_view why);

  std::string kind_;
  const std::map<std::string, double>& params_;
  std::vector<std::string> known_;
  absl::Status status_;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_STRATEGY_PARAMS_H_
