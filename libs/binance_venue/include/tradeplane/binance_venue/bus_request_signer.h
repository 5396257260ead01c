// BusRequestSigner: RequestSigner over the bus to the signer service
// (tradeplane.signer.v1.SignRequest -> SignResponse on its REP socket, with
// CURVE when the client config enables it). Each Sign is one signer request
// id: a retry of the bus call reuses it (the signer answers a repeated id with
// the signature it already made), a new venue attempt gets a new one (a new
// timestamp needs a new signature).
#ifndef TRADEPLANE_BINANCE_VENUE_BUS_REQUEST_SIGNER_H_
#define TRADEPLANE_BINANCE_VENUE_BUS_REQUEST_SIGNER_H_

#include <memory>
#include <mutex>
#include <string>

#include "tradeplane/binance_venue/request_signer.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/config/v1/common.pb.h"
#include "tradeplane/core/ids.h"

#include "absl/status/statusor.h"

namespace tradeplane::binance_venue {

class BusRequestSigner final : public RequestSigner {
 public:
  // `key_id` names the signer's key for this venue.
  static absl::StatusOr<std::unique_ptr<BusRequestSigner>> Create(
      bus::BusContext& bus, const config::v1::ClientConfig& config, std::string key_id);
  ~BusRequestSigner() override;

  absl::StatusOr<SignedRequest> Sign(const signer::v1::VenueRequest& request) override;

 private:
  BusRequestSigner(std::unique_ptr<bus::RequestClient> client, std::string key_id,
                   const Clock& clock);

  std::mutex mu_;  // one call at a time: the bus client is single-threaded
  std::unique_ptr<bus::RequestClient> client_;
  std::string key_id_;
  SystemRandom random_;
  UuidV7Generator ids_;
};

}  // namespace tradeplane::binance_venue

#endif  // TRADEPLANE_BINANCE_VENUE_BUS_REQUEST_SIGNER_H_
