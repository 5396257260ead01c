#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/surveillance/detector.h"
#include "tradeplane/surveillance/spoofing_detector.h"
#include "tradeplane/surveillance/surveillance_engine.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::surveillance {
namespace {

TEST_CASE("absent parameters take their defaults", "[surveillance][params]") {
  absl::StatusOr<SpoofingParams> p = SpoofingParams::FromMap({});
  REQUIRE(p.ok());
  CHECK(p->max_order_lifetime == std::chrono::seconds(10));
  CHECK(p->min_size_to_depth == 0.5);
  CHECK_FALSE(p->include_unknown);
  absl::StatusOr<SpoofingParams> q =
      SpoofingParams::FromMap({{"max_order_lifetime_ms", 2500}, {"include_unknown", 1}});
  REQUIRE(q.ok());
  CHECK(q->max_order_lifetime == std::chrono::milliseconds(2500));
  CHECK(q->include_unknown);
}

TEST_CASE("an unknown key lists the known ones, and NaN is out of range",
          "[surveillance][params]") {
  absl::StatusOr<SpoofingParams> p = SpoofingParams::FromMap({{"lifetime", 1}});
  REQUIRE_FALSE(p.ok());
  CHECK(std::string(p.status().message())
            .find("detector 'spoofing_layering': unknown parameter 'lifetime' (known: "
                  "max_order_lifetime_ms, ") != std::string::npos);
  CHECK_FALSE(SpoofingParams::FromMap({{"min_size_to_depth", std::nan("")}}).ok());
  CHECK_FALSE(SpoofingParams::FromMap({{"min_size_to_depth", 0}}).ok());
}

TEST_CASE("every default lies within its own range", "[surveillance][params]") {
  for (std::string_view name : DetectorNames()) {
    absl::StatusOr<std::span<const ParamSpec>> specs = DetectorParamSpecs(name);
    REQUIRE(specs.ok());
    for (const ParamSpec& spec : *specs) {
      INFO(name << "." << spec.name);
      CHECK(spec.default_value >= spec.min_value);
      CHECK(spec.default_value <= spec.max_value);
    }
  }
}

TEST_CASE("the reference documentation names every detector and parameter",
          "[surveillance][params]") {
  std::string doc =
      tradeplane::testing::ReadFile(TRADEPLANE_SOURCE_DIR "/docs/reference/surveillance.md");
  REQUIRE_FALSE(doc.empty());
  for (std::string_view name : DetectorNames()) {
    INFO(name);
    CHECK(doc.find(name) != std::string::npos);
    absl::StatusOr<std::span<const ParamSpec>> specs = DetectorParamSpecs(name);
    REQUIRE(specs.ok());
    for (const ParamSpec& spec : *specs) {
      INFO(spec.name);
      CHECK(doc.find(StrCat("`", spec.name, "`")) != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace tradeplane::surveillance
