// RequestSigner: how the Binance adapter gets a request signed. Execution
// never holds a venue secret: it describes the request (method, path,
// parameters in order, timestamp, recvWindow) and the signer service returns
// the exact query string to send (with timestamp, recvWindow and signature
// for SIGNED endpoints) and the API key for the X-MBX-APIKEY header.
#ifndef TRADEPLANE_BINANCE_VENUE_REQUEST_SIGNER_H_
#define TRADEPLANE_BINANCE_VENUE_REQUEST_SIGNER_H_

#include <string>

#include "tradeplane/signer/v1/signer.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::binance_venue {

struct SignedRequest {
  std::string query_string;  // send exactly this (it is what was signed)
  std::string api_key;       // X-MBX-APIKEY
};

class RequestSigner {
 public:
  virtual ~RequestSigner() = default;
  // Errors: UNAVAILABLE / DEADLINE_EXCEEDED when the signer cannot be reached
  // (nothing was sent to the venue: transient), PERMISSION_DENIED when it
  // refused (policy, unknown key...: definitive), with its reason.
  // Thread-safe: the adapter's user-data stream signs from its own thread.
  virtual absl::StatusOr<SignedRequest> Sign(const signer::v1::VenueRequest& request) = 0;
};

}  // namespace tradeplane::binance_venue

#endif  // TRADEPLANE_BINANCE_VENUE_REQUEST_SIGNER_H_
