#include "tradeplane/signing/request_digest.h"

#include "tradeplane/signing/byte_view.h"

#include "canonical_writer.h"

namespace tradeplane::signing {

std::string CanonicalSignRequest(const signer::v1::SignRequest& request) {
  CanonicalWriter w("tradeplane.signer.v1.SignRequest/1");
  w.Bytes(request.request_id()).Bytes(request.key_id());
  w.U8(static_cast<uint8_t>(request.payload_case()));
  if (request.has_venue()) {
    const signer::v1::VenueRequest& v = request.venue();
    w.Enum(v.venue()).Enum(v.kind()).Bytes(v.method()).Bytes(v.path());
    w.U32(static_cast<uint32_t>(v.params_size()));
    for (const signer::v1::Param& p : v.params()) w.Bytes(p.name()).Bytes(p.value());
    w.I64(v.timestamp_ms()).U32(v.recv_window_ms()).Bytes(v.symbol()).Enum(v.side());
    w.I64(v.notional());
  } else if (request.has_evm()) {
    const signer::v1::EvmTransaction& e = request.evm();
    w.Enum(e.type()).U64(e.chain_id()).Bool(e.has_nonce()).U64(e.has_nonce() ? e.nonce() : 0);
    w.Bytes(e.gas_price_wei()).Bytes(e.max_priority_fee_per_gas_wei());
    w.Bytes(e.max_fee_per_gas_wei()).U64(e.gas_limit()).Bytes(e.to()).Bytes(e.value_wei());
    w.Bytes(e.data());
  }
  // Appended only when set, so digests of requests without a pinned version
  // are what they were before key_version existed.
  if (request.has_key_version()) w.U8(1).U32(request.key_version());
  return w.bytes();
}

std::string RequestDigest(const signer::v1::SignRequest& request) {
  Sha256Digest digest = Sha256(CanonicalSignRequest(request));
  return std::string(AsChars(digest));
}

}  // namespace tradeplane::signing
