#include "tradeplane/bench/signer_client.h"

namespace tradeplane::bench {

absl::StatusOr<std::unique_ptr<bus::RequestClient>> ConnectSignerClient(
    bus::BusContext& context, const SignerProcess& signer, const bus::CurveKeyPair& client_key,
    const std::string& key_file) {
  if (absl::Status s = bus::WriteCurveKeyPair(client_key, key_file); !s.ok()) return s;
  config::v1::ClientConfig config;
  config.mutable_socket()->set_endpoint(signer.endpoint());
  config::v1::CurveConfig* curve = config.mutable_socket()->mutable_curve();
  curve->set_enabled(true);
  curve->set_key_pair_file(key_file);
  curve->set_server_public_key(signer.server_key().public_key);
  config.set_timeout_ms(10'000);
  config.set_retries(0);
  return bus::RequestClient::Create(context, config, "signer");
}

}  // namespace tradeplane::bench
