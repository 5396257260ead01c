// How a venue call failed, classified so the execution service can act on it
// without reading messages:
//  - transient: nothing happened at the venue; retry (after retry_after_ms
//    when the venue said so: HTTP 429/418 Retry-After);
//  - definitive: the venue answered no (insufficient balance, unknown symbol,
//    unknown order...); retrying the same request gives the same answer;
//  - unknown outcome: the request was sent and no answer came; it may or may
//    not have been carried out, so query by client order id before any retry.
//
// The classification travels inside the absl::Status as a payload (so venue
// calls keep returning absl::StatusOr), with a status code that matches it.
#ifndef TRADEPLANE_EXECUTION_VENUE_ERROR_H_
#define TRADEPLANE_EXECUTION_VENUE_ERROR_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/status.h"

namespace tradeplane::execution {

enum class VenueErrorKind : uint8_t {
  kTransient = 1,
  kDefinitive = 2,
  kUnknownOutcome = 3,
};

enum class VenueErrorReason : uint8_t {
  kUnspecified = 0,
  // Transient.
  kTimeout = 1,           // no connection or no answer to a request that changes nothing
  kServerError = 2,       // HTTP 5xx
  kRateLimited = 3,       // HTTP 429 / 418, with retry_after_ms
  kConnectionFailed = 4,  // the request never left
  // Definitive.
  kInsufficientBalance = 20,
  kUnknownSymbol = 21,
  kUnknownOrder = 22,
  kInvalidOrder = 23,        // price, quantity, filters, type or time in force
  kDuplicateOrder = 24,      // the client order id is already in use
  kWouldTakeLiquidity = 25,  // post-only
  kUnauthorized = 26,
  kRejected = 27,  // any other refusal
  // Unknown outcome.
  kNoResponse = 40,
};

struct VenueError {
  VenueErrorKind kind = VenueErrorKind::kDefinitive;
  VenueErrorReason reason = VenueErrorReason::kUnspecified;
  int64_t retry_after_ms = 0;  // transient only; 0 = retry when the caller's policy says
  int32_t http_status = 0;     // 0 when not HTTP
  int32_t venue_code = 0;      // e.g. Binance's -2010; 0 when none

  bool is_transient() const { return kind == VenueErrorKind::kTransient; }
  bool is_definitive() const { return kind == VenueErrorKind::kDefinitive; }
  bool is_unknown_outcome() const { return kind == VenueErrorKind::kUnknownOutcome; }

  friend bool operator==(const VenueError&, const VenueError&) = default;
};

// A Status carrying `error`. Its code follows the kind: transient ->
// UNAVAILABLE (RESOURCE_EXHAUSTED when rate limited, DEADLINE_EXCEEDED on
// timeout), definitive -> FAILED_PRECONDITION / NOT_FOUND / INVALID_ARGUMENT /
// ALREADY_EXISTS / PERMISSION_DENIED by reason, unknown outcome -> UNKNOWN.
absl::Status MakeVenueError(const VenueError& error, std::string_view message);

absl::Status TransientVenueError(VenueErrorReason reason, std::string_view message,
                                 int64_t retry_after_ms = 0);
absl::Status DefinitiveVenueError(VenueErrorReason reason, std::string_view message);
absl::Status UnknownOutcomeVenueError(std::string_view message);

// The classification attached by MakeVenueError; nullopt for an OK status or
// one without it.
std::optional<VenueError> GetVenueError(const absl::Status& status);
// The attached classification, or one derived from the code for a status
// that has none (UNKNOWN -> unknown outcome; UNAVAILABLE, DEADLINE_EXCEEDED,
// RESOURCE_EXHAUSTED, ABORTED -> transient; anything else -> definitive).
// Must not be called with an OK status.
VenueError ClassifyVenueError(const absl::Status& status);

std::string_view VenueErrorKindName(VenueErrorKind kind);
std::string_view VenueErrorReasonName(VenueErrorReason reason);

}  // namespace tradeplane::execution

#endif  // TRADEPLANE_EXECUTION_VENUE_ERROR_H_
