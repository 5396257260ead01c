#include "tradeplane/bus/curve.h"

#include <catch2/catch.hpp>

#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::bus {
namespace {

TEST_CASE("CURVE key pair files round-trip and are checked", "[bus][curve]") {
  testing::TempDir dir;
  absl::StatusOr<CurveKeyPair> pair = GenerateCurveKeyPair();
  REQUIRE(pair.ok());
  CHECK(pair->public_key.size() == 40);
  REQUIRE(WriteCurveKeyPair(*pair, dir.File("k")).ok());
  absl::StatusOr<CurveKeyPair> back = LoadCurveKeyPair(dir.File("k"));
  REQUIRE(back.ok());
  CHECK(back->public_key == pair->public_key);
  CHECK(back->secret_key == pair->secret_key);

  CurveKeyPair other = *GenerateCurveKeyPair();
  testing::WriteFile(dir.File("mixed"),
                     "public: " + other.public_key + "\nsecret: " + pair->secret_key + "\n");
  absl::Status mixed = LoadCurveKeyPair(dir.File("mixed")).status();
  CHECK_THAT(std::string(mixed.message()), Catch::Contains("does not belong"));
  // An error never repeats the secret.
  CHECK_THAT(std::string(mixed.message()), !Catch::Contains(pair->secret_key));

  testing::WriteFile(dir.File("junk"), "secret " + pair->secret_key + "\n");
  absl::Status junk = LoadCurveKeyPair(dir.File("junk")).status();
  CHECK_THAT(std::string(junk.message()), Catch::Contains(":1: expected"));
  CHECK_THAT(std::string(junk.message()), !Catch::Contains(pair->secret_key));
  CHECK_FALSE(ValidateZ85Key("short").ok());
  CHECK_FALSE(ValidateZ85Key(std::string(40, '"')).ok());
}

}  // namespace
}  // namespace tradeplane::bus
