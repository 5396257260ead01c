#include "tradeplane/signing/binance_endpoints.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::signing {
namespace {

using common::v1::Venue;
using signer::v1::RequestKind;

struct Endpoint {
  std::string_view method;
  std::string_view path;
  RequestKind kind;
};

constexpr Endpoint kSpotEndpoints[] = {
    {"POST", "/api/v3/order", signer::v1::REQUEST_KIND_ORDER},
    {"POST", "/api/v3/order/test", signer::v1::REQUEST_KIND_ORDER},
    {"POST", "/api/v3/order/cancelReplace", signer::v1::REQUEST_KIND_ORDER},
    {"POST", "/api/v3/order/oco", signer::v1::REQUEST_KIND_ORDER},
    {"POST", "/api/v3/orderList/oco", signer::v1::REQUEST_KIND_ORDER},
    {"POST", "/api/v3/orderList/oto", signer::v1::REQUEST_KIND_ORDER},
    {"POST", "/api/v3/orderList/otoco", signer::v1::REQUEST_KIND_ORDER},
    {"POST", "/api/v3/sor/order", signer::v1::REQUEST_KIND_ORDER},
    {"POST", "/api/v3/sor/order/test", signer::v1::REQUEST_KIND_ORDER},
    {"DELETE", "/api/v3/order", signer::v1::REQUEST_KIND_CANCEL},
    {"DELETE", "/api/v3/openOrders", signer::v1::REQUEST_KIND_CANCEL},
    {"DELETE", "/api/v3/orderList", signer::v1::REQUEST_KIND_CANCEL},
    {"POST", "/api/v3/userDataStream", signer::v1::REQUEST_KIND_USER_STREAM},
    {"PUT", "/api/v3/userDataStream", signer::v1::REQUEST_KIND_USER_STREAM},
    {"DELETE", "/api/v3/userDataStream", signer::v1::REQUEST_KIND_USER_STREAM},
    {"POST", "/sapi/v1/capital/withdraw/apply", signer::v1::REQUEST_KIND_WITHDRAWAL},
};

constexpr Endpoint kUsdmEndpoints[] = {
    {"POST", "/fapi/v1/order", signer::v1::REQUEST_KIND_ORDER},
    {"PUT", "/fapi/v1/order", signer::v1::REQUEST_KIND_ORDER},  // modify
    {"POST", "/fapi/v1/order/test", signer::v1::REQUEST_KIND_ORDER},
    {"DELETE", "/fapi/v1/order", signer::v1::REQUEST_KIND_CANCEL},
    {"DELETE", "/fapi/v1/allOpenOrders", signer::v1::REQUEST_KIND_CANCEL},
    {"POST", "/fapi/v1/countdownCancelAll", signer::v1::REQUEST_KIND_CANCEL},
    {"POST", "/fapi/v1/listenKey", signer::v1::REQUEST_KIND_USER_STREAM},
    {"PUT", "/fapi/v1/listenKey", signer::v1::REQUEST_KIND_USER_STREAM},
    {"DELETE", "/fapi/v1/listenKey", signer::v1::REQUEST_KIND_USER_STREAM},
};

// Read-only prefixes: a GET under them only reads account or order state.
constexpr std::string_view kSpotQueryPrefixes[] = {"/api/v3/", "/sapi/v1/"};
constexpr std::string_view kUsdmQueryPrefixes[] = {"/fapi/v1/", "/fapi/v2/", "/fapi/v3/"};

template <size_t N, size_t M>
absl::StatusOr<RequestKind> Lookup(const Endpoint (&table)[N],
                                   const std::string_view (&query_prefixes)[M],
                                   std::string_view method, std::string_view path) {
  for (const Endpoint& e : table) {
    if (e.method == method && e.path == path) return e.kind;
  }
  if (method == "GET") {
    for (std::string_view prefix : query_prefixes) {
      if (path.starts_with(prefix) && path.size() > prefix.size()) {
        return signer::v1::REQUEST_KIND_QUERY;
      }
    }
  }
  return absl::NotFoundError(
      StrCat(method, " ", path, " is not an endpoint the signer knows, so it is not signed"));
}

}  // namespace

absl::StatusOr<RequestKind> ClassifyBinanceEndpoint(Venue venue, std::string_view method,
                                                    std::string_view path) {
  switch (venue) {
    case common::v1::VENUE_BINANCE:
    case common::v1::VENUE_SIM:
      return Lookup(kSpotEndpoints, kSpotQueryPrefixes, method, path);
    case common::v1::VENUE_BINANCE_USDM:
      return Lookup(kUsdmEndpoints, kUsdmQueryPrefixes, method, path);
    default:
      return absl::InvalidArgumentError(
          StrCat("venue ", ShortEnumName(venue), " has no signed REST API"));
  }
}

}  // namespace tradeplane::signing
