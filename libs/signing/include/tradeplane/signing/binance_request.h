// The exact text Binance verifies, built from a structured VenueRequest.
//
// Binance signs the query string itself ("totalParams"): the signer builds it
// once, signs those bytes and returns them, so what is sent is what was signed.
//
//   name1=value1&name2=value2&...&recvWindow=5000&timestamp=1499827319559
//       &signature=<hex HMAC-SHA256, or URL-encoded base64 Ed25519>
//
// Parameters keep the caller's order. Names are letters and digits; values are
// printable ASCII, percent-encoded except RFC 3986's unreserved characters
// (A-Z a-z 0-9 - . _ ~), upper-case hex, space as %20. timestamp, recvWindow
// and signature are the signer's to add and are refused from the caller.
// USER_STREAM requests (listen keys) are not SIGNED: their query has only the
// caller's parameters.
#ifndef TRADEPLANE_SIGNING_BINANCE_REQUEST_H_
#define TRADEPLANE_SIGNING_BINANCE_REQUEST_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/signer/v1/signer.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

inline constexpr uint32_t kMaxRecvWindowMs = 60'000;  // Binance's documented maximum
inline constexpr int kMaxVenueParams = 64;
inline constexpr size_t kMaxVenueParamValueBytes = 2048;

// Percent-encodes everything but RFC 3986's unreserved characters.
void AppendPercentEncoded(std::string_view text, std::string* out);

// The query string without the signature. `signed_request` adds recvWindow and
// timestamp. Checks method, path, parameter names and values, recv_window_ms
// (1 to 60000) and timestamp_ms; errors say which and why.
absl::StatusOr<std::string> BuildBinanceQuery(const signer::v1::VenueRequest& request,
                                              bool signed_request);

// query + "&signature=" + the percent-encoded signature text.
std::string AppendBinanceSignature(std::string_view query, std::string_view signature);

// What the policy judges a venue request by, read from the request itself.
struct VenueRequestFacts {
  signer::v1::RequestKind kind = signer::v1::REQUEST_KIND_UNSPECIFIED;  // from the endpoint
  std::string symbol;  // empty when the request carries none
  common::v1::Side side = common::v1::SIDE_UNSPECIFIED;
  // Orders: the largest of the declared notional, price * quantity and
  // quoteOrderQty, so understating `notional` gains nothing. Zero otherwise.
  Amount notional;
};

// Classifies the endpoint (binance_endpoints.h) and cross-checks the declared
// kind, symbol and side against the parameters. NotFound: the endpoint is
// unknown; InvalidArgument: the request contradicts itself or is malformed.
absl::StatusOr<VenueRequestFacts> ReadVenueRequestFacts(const signer::v1::VenueRequest& request);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_BINANCE_REQUEST_H_
