#include "tradeplane/execution/venue_error.h"

#include <cstring>
#include <string>

#include "tradeplane/core/str_cat.h"

#include "absl/strings/cord.h"

namespace tradeplane::execution {
namespace {

constexpr std::string_view kPayloadUrl = "type.tradeplane.dev/tradeplane.execution.VenueError";
constexpr char kPayloadVersion = 1;
// version, kind, reason, retry_after_ms (8), http_status (4), venue_code (4)
constexpr size_t kPayloadSize = 3 + 8 + 4 + 4;

template <typename T>
void PutLittleEndian(T value, char* out) {
  auto u = static_cast<std::make_unsigned_t<T>>(value);
  for (size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<char>((u >> (8 * i)) & 0xff);
}

template <typename T>
T GetLittleEndian(const char* in) {
  std::make_unsigned_t<T> u = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    u |= static_cast<std::make_unsigned_t<T>>(static_cast<unsigned char>(in[i])) << (8 * i);
  }
  return static_cast<T>(u);
}

absl::StatusCode CodeFor(const VenueError& error) {
  switch (error.kind) {
    case VenueErrorKind::kTransient:
      if (error.reason == VenueErrorReason::kRateLimited)
        return absl::StatusCode::kResourceExhausted;
      if (error.reason == VenueErrorReason::kTimeout) return absl::StatusCode::kDeadlineExceeded;
      return absl::StatusCode::kUnavailable;
    case VenueErrorKind::kUnknownOutcome:
      return absl::StatusCode::kUnknown;
    case VenueErrorKind::kDefinitive:
      break;
  }
  switch (error.reason) {
    case VenueErrorReason::kUnknownSymbol:
    case VenueErrorReason::kUnknownOrder:
      return absl::StatusCode::kNotFound;
    case VenueErrorReason::kInvalidOrder:
      return absl::StatusCode::kInvalidArgument;
    case VenueErrorReason::kDuplicateOrder:
      return absl::StatusCode::kAlreadyExists;
    case VenueErrorReason::kUnauthorized:
      return absl::StatusCode::kPermissionDenied;
    default:
      return absl::StatusCode::kFailedPrecondition;
  }
}

}  // namespace

absl::Status MakeVenueError(const VenueError& error, std::string_view message) {
  absl::Status status(CodeFor(error),
                      ToAbsl(StrCat(VenueErrorKindName(error.kind), " venue error (",
                                    VenueErrorReasonName(error.reason), "): ", message)));
  char payload[kPayloadSize];
  payload[0] = kPayloadVersion;
  payload[1] = static_cast<char>(error.kind);
  payload[2] = static_cast<char>(error.reason);
  PutLittleEndian<int64_t>(error.retry_after_ms, payload + 3);
  PutLittleEndian<int32_t>(error.http_status, payload + 11);
  PutLittleEndian<int32_t>(error.venue_code, payload + 15);
  status.SetPayload(ToAbsl(kPayloadUrl), absl::Cord(absl::string_view(payload, kPayloadSize)));
  return status;
}

absl::Status TransientVenueError(VenueErrorReason reason, std::string_view message,
                                 int64_t retry_after_ms) {
  return MakeVenueError(VenueError{VenueErrorKind::kTransient, reason, retry_after_ms}, message);
}

absl::Status DefinitiveVenueError(VenueErrorReason reason, std::string_view message) {
  return MakeVenueError(VenueError{VenueErrorKind::kDefinitive, reason}, message);
}

absl::Status UnknownOutcomeVenueError(std::string_view message) {
  return MakeVenueError(VenueError{VenueErrorKind::kUnknownOutcome, VenueErrorReason::kNoResponse},
                        message);
}

std::optional<VenueError> GetVenueError(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  auto payload = status.GetPayload(ToAbsl(kPayloadUrl));
  if (!payload.has_value()) return std::nullopt;
  std::string bytes(*payload);
  if (bytes.size() != kPayloadSize || bytes[0] != kPayloadVersion) return std::nullopt;
  VenueError error;
  error.kind = static_cast<VenueErrorKind>(bytes[1]);
  error.reason = static_cast<VenueErrorReason>(bytes[2]);
  error.retry_after_ms = GetLittleEndian<int64_t>(bytes.data() + 3);
  error.http_status = GetLittleEndian<int32_t>(bytes.data() + 11);
  error.venue_code = GetLittleEndian<int32_t>(bytes.data() + 15);
  return error;
}

VenueError ClassifyVenueError(const absl::Status& status) {
  if (std::optional<VenueError> attached = GetVenueError(status); attached.has_value()) {
    return *attached;
  }
  switch (status.code()) {
    case absl::StatusCode::kUnknown:
      return VenueError{VenueErrorKind::kUnknownOutcome, VenueErrorReason::kNoResponse};
    case absl::StatusCode::kDeadlineExceeded:
      return VenueError{VenueErrorKind::kTransient, VenueErrorReason::kTimeout};
    case absl::StatusCode::kResourceExhausted:
      return VenueError{VenueErrorKind::kTransient, VenueErrorReason::kRateLimited};
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kAborted:
      return VenueError{VenueErrorKind::kTransient, VenueErrorReason::kServerError};
    default:
      return VenueError{VenueErrorKind::kDefinitive, VenueErrorReason::kRejected};
  }
}

std::string_view VenueErrorKindName(VenueErrorKind kind) {
  switch (kind) {
    case VenueErrorKind::kTransient:
      return "transient";
    case VenueErrorKind::kDefinitive:
      return "definitive";
    case VenueErrorKind::kUnknownOutcome:
      return "unknown-outcome";
  }
  return "unclassified";
}

std::string_view VenueErrorReasonName(VenueErrorReason reason) {
  switch (reason) {
    case VenueErrorReason::kUnspecified:
      return "unspecified";
    case VenueErrorReason::kTimeout:
      return "timeout";
    case VenueErrorReason::kServerError:
      return "server error";
    case VenueErrorReason::kRateLimited:
      return "rate limited";
    case VenueErrorReason::kConnectionFailed:
      return "connection failed";
    case VenueErrorReason::kInsufficientBalance:
      return "insufficient balance";
    case VenueErrorReason::kUnknownSymbol:
      return "unknown symbol";
    case VenueErrorReason::kUnknownOrder:
      return "unknown order";
    case VenueErrorReason::kInvalidOrder:
      return "invalid order";
    case VenueErrorReason::kDuplicateOrder:
      return "duplicate order";
    case VenueErrorReason::kWouldTakeLiquidity:
      return "post-only would take";
    case VenueErrorReason::kUnauthorized:
      return "unauthorized";
    case VenueErrorReason::kRejected:
      return "rejected";
    case VenueErrorReason::kNoResponse:
      return "no response";
  }
  return "unknown reason";
}

}  // namespace tradeplane::execution
