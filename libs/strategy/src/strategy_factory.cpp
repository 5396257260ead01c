#include "tradeplane/strategy/strategy_factory.h"

#include <utility>
#include <vector>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/strategy/mean_reversion_strategy.h"
#include "tradeplane/strategy/quoting_strategy.h"
#include "tradeplane/strategy/sizing.h"
#include "tradeplane/strategy/strategy_params.h"
#include "tradeplane/strategy/trend_strategy.h"

#include "absl/strings/cord.h"

namespace tradeplane::strategy {
namespace {

// Keeps the payloads (the config key, see WithConfigKey).
absl::Status Prefixed(const std::string& id, const absl::Status& status) {
  absl::Status prefixed(status.code(), StrCat("strategy '", id, "': ", ToStd(status.message())));
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    prefixed.SetPayload(type_url, payload);
  });
  return prefixed;
}

template <typename T>
absl::StatusOr<std::unique_ptr<Strategy>> Upcast(absl::StatusOr<std::unique_ptr<T>> made) {
  if (!made.ok()) return made.status();
  return std::unique_ptr<Strategy>(*std::move(made));
}

}  // namespace

std::map<std::string, double> ParamsOf(const config::v1::StrategyConfig& config) {
  std::map<std::string, double> params;
  for (const auto& [name, value] : config.params()) params.emplace(name, value);
  return params;
}

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const config::v1::StrategyConfig& config,
                                                       const InstrumentTable& instruments) {
  const std::string& id = config.id();
  if (id.empty()) return WithConfigKey(absl::InvalidArgumentError("strategy: id is empty"), "id");
  if (config.instruments().empty()) {
    return Prefixed(id, WithConfigKey(absl::InvalidArgumentError("no instruments"), "instruments"));
  }
  std::vector<InstrumentIndex> indices;
  for (const common::v1::InstrumentId& proto : config.instruments()) {
    InstrumentId instrument = InstrumentId::FromProto(proto);
    std::optional<InstrumentIndex> index = instruments.Find(instrument);
    if (!index.has_value()) {
      return Prefixed(id,
                      WithConfigKey(absl::NotFoundError(StrCat("instrument ", instrument.ToString(),
                                                               " is not in the instrument table")),
                                    "instruments"));
    }
    for (InstrumentIndex seen : indices) {
      if (seen == *index) {
        return Prefixed(
            id, WithConfigKey(absl::InvalidArgumentError(
                                  StrCat("instrument ", instrument.ToString(), " is listed twice")),
                              "instruments"));
      }
    }
    indices.push_back(*index);
  }
  absl::StatusOr<SizingPolicy> sizing = SizingPolicy::FromConfig(config.sizing());
  if (!sizing.ok()) return Prefixed(id, WithConfigKey(sizing.status(), "sizing"));
  const std::map<std::string, double> params = ParamsOf(config);

  absl::StatusOr<std::unique_ptr<Strategy>> made;
  switch (config.kind()) {
    case config::v1::STRATEGY_KIND_TREND: {
      absl::StatusOr<TrendParams> p = TrendParams::FromMap(params);
      if (!p.ok()) return Prefixed(id, p.status());
      made = Upcast(TrendStrategy::Create(id, std::move(indices), *p, *std::move(sizing)));
      break;
    }
    case config::v1::STRATEGY_KIND_MEAN_REVERSION: {
      absl::StatusOr<MeanReversionParams> p = MeanReversionParams::FromMap(params);
      if (!p.ok()) return Prefixed(id, p.status());
      made = Upcast(MeanReversionStrategy::Create(id, std::move(indices), *p, *std::move(sizing)));
      break;
    }
    case config::v1::STRATEGY_KIND_QUOTING: {
      absl::StatusOr<QuotingParams> p = QuotingParams::FromMap(params);
      if (!p.ok()) return Prefixed(id, p.status());
      made = Upcast(QuotingStrategy::Create(id, std::move(indices), *p, *std::move(sizing)));
      break;
    }
    default:
      return Prefixed(id, WithConfigKey(absl::InvalidArgumentError(StrCat(
                                            "kind ", static_cast<int>(config.kind()),
                                            " is not one of TREND, MEAN_REVERSION, QUOTING")),
                                        "kind"));
  }
  if (!made.ok()) return Prefixed(id, made.status());
  return made;
}

}  // namespace tradeplane::strategy
