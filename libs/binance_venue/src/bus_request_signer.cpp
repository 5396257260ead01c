#include "tradeplane/binance_venue/bus_request_signer.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::binance_venue {

absl::StatusOr<std::unique_ptr<BusRequestSigner>> BusRequestSigner::Create(
    bus::BusContext& bus, const config::v1::ClientConfig& config, std::string key_id) {
  if (key_id.empty())
    return absl::InvalidArgumentError("venue.key_id: the signer's key is required");
  absl::StatusOr<std::unique_ptr<bus::RequestClient>> client =
      bus::RequestClient::Create(bus, config, "signer");
  if (!client.ok()) return client.status();
  return std::unique_ptr<BusRequestSigner>(
      new BusRequestSigner(std::move(*client), std::move(key_id), bus.clock()));
}

BusRequestSigner::BusRequestSigner(std::unique_ptr<bus::RequestClient> client, std::string key_id,
                                   const Clock& clock)
    : client_(std::move(client)), key_id_(std::move(key_id)), ids_(clock, random_) {}

BusRequestSigner::~BusRequestSigner() = default;

absl::StatusOr<SignedRequest> BusRequestSigner::Sign(const signer::v1::VenueRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  signer::v1::SignRequest sign;
  sign.set_request_id(ids_.Next());
  sign.set_key_id(key_id_);
  *sign.mutable_venue() = request;
  signer::v1::SignResponse response;
  absl::Status s = client_->Call(sign, &response, {.request_id = sign.request_id()});
  if (!s.ok()) {
    return absl::UnavailableError(StrCat("signer did not answer ", request.method(), " ",
                                         request.path(), ": ", ToStd(s.message())));
  }
  if (!response.signed_()) {
    std::string why = StrCat("signer refused ", request.method(), " ", request.path(), " (",
                             ShortEnumName(response.refusal()), "): ", response.reason());
    // A store outage or a rate window is the signer's transient state.
    if (response.refusal() == signer::v1::SIGN_REFUSAL_STORE_UNAVAILABLE ||
        response.refusal() == signer::v1::SIGN_REFUSAL_RATE) {
      return absl::UnavailableError(why);
    }
    return absl::PermissionDeniedError(why);
  }
  return SignedRequest{response.query_string(), response.api_key()};
}

}  // namespace tradeplane::binance_venue
