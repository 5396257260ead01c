#include "tradeplane/service/config_main.h"

#include "tradeplane/core/command_line.h"
#include "tradeplane/core/config_loader.h"
#include "tradeplane/core/json_format.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::service {
namespace {

const std::vector<FlagDef> kFlags = {
    {.name = "config", .value_name = "FILE", .help = "the service's YAML config"},
    {.name = "check-config",
     .takes_value = false,
     .help = "load and check the config, print it as JSON, and exit"},
    {.name = "help", .short_name = "h", .takes_value = false, .help = "show this help"},
};

[[noreturn]] void Exit(int code, std::string_view binary, std::string_view message) {
  std::fprintf(code == 0 ? stdout : stderr, "%.*s%s%.*s\n",
               static_cast<int>(code == 0 ? 0 : binary.size()), binary.data(),
               code == 0 ? "" : ": ", static_cast<int>(message.size()), message.data());
  std::exit(code);
}

}  // namespace

void LoadConfigOrExit(int argc, char** argv, std::string_view binary, std::string_view description,
                      google::protobuf::Message* config) {
  absl::StatusOr<CommandLine> cl = CommandLine::Parse(argc, argv, 1, kFlags);
  if (!cl.ok()) Exit(2, binary, ToStd(cl.status().message()));
  if (cl->Has("help")) {
    Exit(0, binary,
         StrCat("usage: ", binary, " --config FILE.yaml [--check-config]\n\n", description,
                "\n\nflags:\n", FlagHelp(kFlags), "\nThe config is YAML mapped onto ",
                config->GetDescriptor()->full_name(),
                " (proto/tradeplane/config/v1/services.proto); unknown keys and out-of-range "
                "values are refused with the key's path."));
  }
  if (!cl->positional().empty()) {
    Exit(2, binary, StrCat("unexpected argument '", cl->positional().front(), "' (see --help)"));
  }
  if (!cl->Has("config")) Exit(2, binary, "--config FILE.yaml is required (see --help)");
  absl::Status s = LoadYamlConfigFile(cl->Get("config"), config);
  if (!s.ok()) Exit(2, binary, StrCat("invalid config:\n", ToStd(s.message())));
  if (cl->Has("check-config")) Exit(0, binary, ToJson(*config, {.pretty = true}));
}

}  // namespace tradeplane::service
