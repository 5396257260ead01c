// The command line every service shares:
//   tradeplane-<svc> --config FILE.yaml [--check-config] [--help]
// The YAML maps onto the service's config message (core/config_loader.h);
// an error prints each bad key with its path and line, and exits 2.
#ifndef TRADEPLANE_SERVICE_CONFIG_MAIN_H_
#define TRADEPLANE_SERVICE_CONFIG_MAIN_H_

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

namespace tradeplane::service {

// Parses the command line and loads the config into `config` (which may hold
// defaults already). Exits the process on --help (0), --check-config (0 when
// valid) and on any error (2, with the reason on stderr).
void LoadConfigOrExit(int argc, char** argv, std::string_view binary, std::string_view description,
                      google::protobuf::Message* config);

}  // namespace tradeplane::service

#endif  // TRADEPLANE_SERVICE_CONFIG_MAIN_H_
