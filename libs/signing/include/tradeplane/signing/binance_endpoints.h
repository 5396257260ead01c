// What a Binance REST endpoint does, from its method and path.
//
// The caller declares a RequestKind, but the policy must judge the request by
// what it is: a withdrawal labelled ORDER must not pass as an order. So the
// signer classifies the endpoint itself from this table and refuses requests
// whose declared kind disagrees, and endpoints it does not know (fail closed:
// a new endpoint is signed only after it is added here).
//
// Sources: Binance spot REST API (api/v3, sapi/v1 capital) and USD-M futures
// REST API (fapi) documentation. VENUE_SIM speaks the spot subset.
#ifndef TRADEPLANE_SIGNING_BINANCE_ENDPOINTS_H_
#define TRADEPLANE_SIGNING_BINANCE_ENDPOINTS_H_

#include <string_view>

#include "tradeplane/common/v1/common.pb.h"
#include "tradeplane/signer/v1/signer.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

// NotFound for an endpoint outside the table; InvalidArgument for a venue
// without a signed REST API.
absl::StatusOr<signer::v1::RequestKind> ClassifyBinanceEndpoint(common::v1::Venue venue,
                                                                std::string_view method,
                                                                std::string_view path);

// USER_STREAM endpoints (listen keys) take the API key header but no
// timestamp, recvWindow or signature; every other kind is SIGNED.
inline bool IsSignedRequestKind(signer::v1::RequestKind kind) {
  return kind != signer::v1::REQUEST_KIND_USER_STREAM;
}

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_BINANCE_ENDPOINTS_H_
