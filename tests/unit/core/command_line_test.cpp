#include "tradeplane/core/command_line.h"

#include <catch2/catch.hpp>

namespace tradeplane {
namespace {

const std::vector<FlagDef> kFlags = {
    {.name = "config", .value_name = "FILE", .help = "the config"},
    {.name = "topic", .repeated = true, .help = "a topic prefix"},
    {.name = "output", .short_name = "o", .help = "format"},
    {.name = "verbose", .takes_value = false, .help = "more"},
};

TEST_CASE("flags, switches, repeats and positionals parse", "[core][cli]") {
  absl::StatusOr<CommandLine> cl =
      CommandLine::Parse({"run", "--config", "a.yaml", "--topic=md.", "--topic", "exec.", "-o",
                          "json", "--verbose", "--", "--not-a-flag"},
                         kFlags);
  REQUIRE(cl.ok());
  CHECK(cl->Get("config") == "a.yaml");
  CHECK(cl->GetAll("topic") == std::vector<std::string>{"md.", "exec."});
  CHECK(cl->Get("output") == "json");
  CHECK(cl->Has("verbose"));
  CHECK(cl->positional() == std::vector<std::string>{"run", "--not-a-flag"});
  CHECK(cl->Get("missing", "x") == "x");
}

TEST_CASE("bad command lines say what is wrong", "[core][cli]") {
  auto err = [](std::vector<std::string> args) {
    absl::StatusOr<CommandLine> cl = CommandLine::Parse(args, kFlags);
    REQUIRE_FALSE(cl.ok());
    return std::string(cl.status().message());
  };
  CHECK_THAT(err({"--confg", "x"}), Catch::Contains("unknown flag '--confg'"));
  CHECK_THAT(err({"--config"}), Catch::Contains("--config needs a value (FILE)"));
  CHECK_THAT(err({"--config", "a", "--config", "b"}), Catch::Contains("more than once"));
  CHECK_THAT(err({"--verbose=yes"}), Catch::Contains("takes no value"));
  absl::StatusOr<CommandLine> cl = CommandLine::Parse({"--config", "x"}, kFlags);
  CHECK_THAT(std::string(cl->GetInt("config", 0).status().message()),
             Catch::Contains("not an integer"));
  CHECK_THAT(FlagHelp(kFlags), Catch::Contains("-o, --output VALUE"));
}

}  // namespace
}  // namespace tradeplane
