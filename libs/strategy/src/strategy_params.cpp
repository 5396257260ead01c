#include "tradeplane/strategy/strategy_params.h"

#include <algorithm>
#include <cmath>

#include "tradeplane/core/str_cat.h"

#include "absl/strings/cord.h"

namespace tradeplane::strategy {
namespace {

constexpr char kConfigKeyPayload[] = "tradeplane.strategy/config-key";

}  // namespace

absl::Status WithConfigKey(absl::Status status, std::string_view key) {
  if (status.ok() || status.GetPayload(kConfigKeyPayload).has_value()) return status;
  status.SetPayload(kConfigKeyPayload, absl::Cord(std::string(key)));
  return status;
}

std::string ConfigKeyOf(const absl::Status& status) {
  absl::optional<absl::Cord> key = status.GetPayload(kConfigKeyPayload);
  return key.has_value() ? std::string(*key) : std::string();
}

const double* ParamReader::Find(std::string_view name) {
  known_.emplace_back(name);
  auto it = params_.find(std::string(name));
  return it == params_.end() ? nullptr : &it->second;
}

void ParamReader::Refuse(std::string_view name, double value, std::string_view why) {
  if (!status_.ok()) return;
  status_ = WithConfigKey(absl::InvalidArgumentError(StrCat(kind_, " strategy: parameter '", name,
                                                            "' = ", value, " ", why)),
                          StrCat("params.", name));
}

void ParamReader::Fail(std::string_view message) {
  if (!status_.ok()) return;
  status_ =
      WithConfigKey(absl::InvalidArgumentError(StrCat(kind_, " strategy: ", message)), "params");
}

double ParamReader::Number(std::string_view name, double default_value, double min, double max) {
  const double* given = Find(name);
  if (given == nullptr) return default_value;
  if (!std::isfinite(*given)) {
    Refuse(name, *given, "is not a finite number");
  } else if (*given < min || *given > max) {
    Refuse(name, *given, StrCat("is out of range [", min, ", ", max, "]"));
  }
  return *given;
}

double ParamReader::Positive(std::string_view name, double default_value, double max) {
  const double* given = Find(name);
  if (given == nullptr) return default_value;
  if (!std::isfinite(*given)) {
    Refuse(name, *given, "is not a finite number");
  } else if (*given <= 0 || *given > max) {
    Refuse(name, *given, StrCat("is out of range (0, ", max, "]"));
  }
  return *given;
}

int ParamReader::Integer(std::string_view name, int default_value, int min, int max) {
  const double* given = Find(name);
  if (given == nullptr) return default_value;
  if (!std::isfinite(*given)) {
    Refuse(name, *given, "is not a finite number");
    return default_value;
  }
  if (*given != std::floor(*given)) {
    Refuse(name, *given, "must be a whole number");
    return default_value;
  }
  if (*given < min || *given > max) {
    Refuse(name, *given, StrCat("is out of range [", min, ", ", max, "]"));
    return default_value;
  }
  return static_cast<int>(*given);
}

bool ParamReader::Flag(std::string_view name, bool default_value) {
  const double* given = Find(name);
  if (given == nullptr) return default_value;
  if (*given != 0 && *given != 1) {
    Refuse(name, *given, "must be 0 or 1");
    return default_value;
  }
  return *given == 1;
}

absl::Status ParamReader::Finish() const {
  if (!status_.ok()) return status_;
  for (const auto& [name, value] : params_) {
    if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
    std::vector<std::string> sorted = known_;
    std::sort(sorted.begin(), sorted.end());
    std::string list;
    for (const std::string& known : sorted) StrAppend(&list, list.empty() ? "" : ", ", known);
    return WithConfigKey(absl::InvalidArgumentError(StrCat(kind_, " strategy: unknown parameter '",
                                                           name, "' (known: ", list, ")")),
                         StrCat("params.", name));
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::strategy
