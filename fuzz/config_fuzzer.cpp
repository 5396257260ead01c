// Fuzzes YAML config loading (libs/core config_loader.h) onto the real
// service config messages: every input is loaded onto each of them, the way
// a service loads its --config file, and a config that loads is validated
// again as a message built in code would be.
//
// Property: a config that loads passes ValidateConfig with ranges checked
// (the loader checked each value as it read it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <google/protobuf/message.h>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/config_loader.h"

namespace {

namespace cfg = tradeplane::config::v1;

template <typename Config>
void LoadOnto(std::string_view yaml) {
  Config config;
  absl::Status loaded = tradeplane::ParseYamlConfig(yaml, "fuzz.yaml", "/etc/tradeplane", &config);
  if (!loaded.ok()) return;
  if (!tradeplane::ValidateConfig(config).ok()) {
    __builtin_printf("config_fuzzer: %s loaded but does not validate\n",
                     config.GetDescriptor()->full_name().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  LoadOnto<cfg::MarketDataConfig>(yaml);
  LoadOnto<cfg::SignalConfig>(yaml);
  LoadOnto<cfg::RiskConfig>(yaml);
  LoadOnto<cfg::ExecutionConfig>(yaml);
  LoadOnto<cfg::SignerConfig>(yaml);
  LoadOnto<cfg::SentinelConfig>(yaml);
  LoadOnto<cfg::ReconcilerConfig>(yaml);
  LoadOnto<cfg::VenueSimConfig>(yaml);
  LoadOnto<cfg::BacktestConfig>(yaml);
  return 0;
}
