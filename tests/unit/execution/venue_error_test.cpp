// The classification of venue errors travels inside absl::Status.
#include "tradeplane/execution/venue_error.h"

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::execution {
namespace {

TEST_CASE("a rate-limit error keeps its retry-after milliseconds and HTTP details", "[execution]") {
  VenueError error{VenueErrorKind::kTransient, VenueErrorReason::kRateLimited, 1500, 429, -1003};
  absl::Status status = MakeVenueError(error, "too many requests");
  CHECK(absl::IsResourceExhausted(status));
  CHECK(ToStd(status.message()).find("too many requests") != std::string_view::npos);
  std::optional<VenueError> back = GetVenueError(status);
  REQUIRE(back.has_value());
  CHECK(*back == error);
  CHECK(back->is_transient());
  CHECK(ClassifyVenueError(status).retry_after_ms == 1500);
}

TEST_CASE("each kind and reason maps to a status code that says the same", "[execution]") {
  CHECK(absl::IsDeadlineExceeded(TransientVenueError(VenueErrorReason::kTimeout, "t")));
  CHECK(absl::IsUnavailable(TransientVenueError(VenueErrorReason::kServerError, "503")));
  CHECK(absl::IsUnknown(UnknownOutcomeVenueError("sent, no answer")));
  CHECK(absl::IsFailedPrecondition(
      DefinitiveVenueError(VenueErrorReason::kInsufficientBalance, "x")));
  CHECK(absl::IsNotFound(DefinitiveVenueError(VenueErrorReason::kUnknownOrder, "x")));
  CHECK(absl::IsNotFound(DefinitiveVenueError(VenueErrorReason::kUnknownSymbol, "x")));
  CHECK(absl::IsInvalidArgument(DefinitiveVenueError(VenueErrorReason::kInvalidOrder, "x")));
  CHECK(absl::IsAlreadyExists(DefinitiveVenueError(VenueErrorReason::kDuplicateOrder, "x")));
  CHECK(absl::IsPermissionDenied(DefinitiveVenueError(VenueErrorReason::kUnauthorized, "x")));

  VenueError unknown = ClassifyVenueError(UnknownOutcomeVenueError("lost"));
  CHECK(unknown.is_unknown_outcome());
  CHECK(unknown.reason == VenueErrorReason::kNoResponse);
  VenueError definitive =
      ClassifyVenueError(DefinitiveVenueError(VenueErrorReason::kUnknownSymbol, "FOOBAR"));
  CHECK(definitive.is_definitive());
  CHECK(definitive.reason == VenueErrorReason::kUnknownSymbol);
}

TEST_CASE("a status without a classification is classified by its code", "[execution]") {
  CHECK_FALSE(GetVenueError(absl::OkStatus()).has_value());
  CHECK_FALSE(GetVenueError(absl::UnavailableError("x")).has_value());
  CHECK(ClassifyVenueError(absl::UnknownError("x")).is_unknown_outcome());
  CHECK(ClassifyVenueError(absl::UnavailableError("x")).is_transient());
  CHECK(ClassifyVenueError(absl::DeadlineExceededError("x")).reason == VenueErrorReason::kTimeout);
  CHECK(ClassifyVenueError(absl::ResourceExhaustedError("x")).reason ==
        VenueErrorReason::kRateLimited);
  CHECK(ClassifyVenueError(absl::InvalidArgumentError("x")).is_definitive());
}

TEST_CASE("the classification survives copying and annotating the status", "[execution]") {
  absl::Status original = TransientVenueError(VenueErrorReason::kRateLimited, "slow down", 250);
  absl::Status copy = original;
  CHECK(ClassifyVenueError(copy).retry_after_ms == 250);
  // A message in the classification is not what decides it: a status whose
  // message says "rate limited" but has none is classified by code only.
  CHECK(ClassifyVenueError(absl::InternalError("rate limited")).is_definitive());
  CHECK(VenueErrorKindName(VenueErrorKind::kUnknownOutcome) == "unknown-outcome");
  CHECK(VenueErrorReasonName(VenueErrorReason::kWouldTakeLiquidity) == "post-only would take");
}

}  // namespace
}  // namespace tradeplane::execution
