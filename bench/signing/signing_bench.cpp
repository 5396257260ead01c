// Signatures per second for each algorithm the signer offers, on the work a
// real request costs: an HMAC-SHA256 and an Ed25519 signature over a typical
// Binance order query string, and a full EIP-1559 transaction (RLP, Keccak-256
// and a secp256k1 signature with recovery id). Plus the whole engine path for
// one Binance order (checks, query building, signature, digest).
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>

#include "tradeplane/signing/entropy_source.h"
#include "tradeplane/signing/evm_transaction.h"
#include "tradeplane/signing/keccak256.h"
#include "tradeplane/signing/key_material.h"
#include "tradeplane/signing/keystore.h"
#include "tradeplane/signing/signing_engine.h"
#include "tradeplane/signing/signing_key.h"

namespace tradeplane::signing {
namespace {

// A realistic order: LIMIT GTC with a client order id (UUIDv7), ~190 bytes.
constexpr std::string_view kOrderQuery =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00150000&price=64123.45"
    "&newClientOrderId=0190a3b2-7c41-7d3e-8f00-2b9d3c4e5f60&newOrderRespType=ACK"
    "&recvWindow=5000&timestamp=1717171717171";

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) std::abort();
  return *std::move(value);
}

signer::v1::KeyMetadata Metadata(signer::v1::Algorithm algorithm, signer::v1::KeyPurpose purpose) {
  signer::v1::KeyMetadata m;
  m.set_key_id("bench");
  m.set_version(1);
  m.set_algorithm(algorithm);
  m.set_purpose(purpose);
  return m;
}

void BM_HmacSha256OrderQuery(benchmark::State& state) {
  SigningKey key = OrDie(SigningKey::Create(
      Metadata(signer::v1::ALGORITHM_HMAC_SHA256, signer::v1::KEY_PURPOSE_VENUE_API),
      OrDie(KeyMaterial::FromHmacSecret(
          "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"))));
  for (auto _ : state) {
    absl::StatusOr<std::string> signature = key.SignVenueQuery(kOrderQuery);
    benchmark::DoNotOptimize(signature);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("signatures; hex output");
}
BENCHMARK(BM_HmacSha256OrderQuery);

void BM_Ed25519OrderQuery(benchmark::State& state) {
  SystemEntropy entropy;
  SigningKey key = OrDie(
      SigningKey::Create(Metadata(signer::v1::ALGORITHM_ED25519, signer::v1::KEY_PURPOSE_VENUE_API),
                         OrDie(KeyMaterial::Generate(signer::v1::ALGORITHM_ED25519, entropy))));
  for (auto _ : state) {
    absl::StatusOr<std::string> signature = key.SignVenueQuery(kOrderQuery);
    benchmark::DoNotOptimize(signature);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("signatures; base64 output");
}
BENCHMARK(BM_Ed25519OrderQuery);

EvmTransactionFields Eip1559Transfer() {
  signer::v1::EvmTransaction tx;
  tx.set_type(signer::v1::EVM_TX_TYPE_EIP1559);
  tx.set_chain_id(1);
  tx.set_max_priority_fee_per_gas_wei("1500000000");
  tx.set_max_fee_per_gas_wei("30000000000");
  tx.set_gas_limit(21000);
  tx.set_to("0x3535353535353535353535353535353535353535");
  tx.set_value_wei("1000000000000000000");
  return OrDie(ParseEvmTransaction(tx, 42));
}

void BM_Secp256k1Eip1559Transaction(benchmark::State& state) {
  SystemEntropy entropy;
  SigningKey key = OrDie(SigningKey::Create(
      Metadata(signer::v1::ALGORITHM_SECP256K1, signer::v1::KEY_PURPOSE_EVM_WALLET),
      OrDie(KeyMaterial::Generate(signer::v1::ALGORITHM_SECP256K1, entropy))));
  EvmTransactionFields tx = Eip1559Transfer();
  for (auto _ : state) {
    absl::StatusOr<SignedEvmTransaction> signed_tx = key.SignEvm(tx);
    benchmark::DoNotOptimize(signed_tx);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("transactions; RLP + Keccak-256 + ECDSA with recovery id");
}
BENCHMARK(BM_Secp256k1Eip1559Transaction);

void BM_Keccak256OfTransaction(benchmark::State& state) {
  std::string payload = EvmSigningPayload(Eip1559Transfer());
  for (auto _ : state) benchmark::DoNotOptimize(Keccak256Hash(payload));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(payload.size()));
}
BENCHMARK(BM_Keccak256OfTransaction);

// The engine's whole path for one order, as the signer service runs it.
void BM_EngineBinanceOrder(benchmark::State& state) {
  SystemEntropy entropy;
  SecretBytes passphrase = OrDie(SecretBytes::Copy(std::string_view("bench")));
  Keystore store = OrDie(Keystore::Create(passphrase, KdfLimits::Minimum(), entropy));
  signer::v1::KeyPolicy policy;
  policy.add_allowed_venues(common::v1::VENUE_BINANCE);
  policy.add_allowed_kinds(signer::v1::REQUEST_KIND_ORDER);
  policy.set_max_notional_per_request(Amount::Parse("1000").value().raw());
  const auto algorithm = static_cast<signer::v1::Algorithm>(state.range(0));
  KeyMaterial material =
      algorithm == signer::v1::ALGORITHM_HMAC_SHA256
          ? OrDie(KeyMaterial::FromHmacSecret(
                "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"))
          : OrDie(KeyMaterial::Generate(algorithm, entropy));
  if (!store
           .AddKey({"k", signer::v1::KEY_PURPOSE_VENUE_API, "api-key", policy, 0},
                   std::move(material))
           .ok()) {
    std::abort();
  }
  InMemoryNonceAllocator nonces;
  SigningEngine engine(nonces);
  if (!engine.LoadKeys(store).ok()) std::abort();

  signer::v1::SignRequest request;
  request.set_request_id("0190a3b2-7c41-7d3e-8f00-2b9d3c4e5f60");
  request.set_key_id("k");
  signer::v1::VenueRequest* venue = request.mutable_venue();
  venue->set_venue(common::v1::VENUE_BINANCE);
  venue->set_kind(signer::v1::REQUEST_KIND_ORDER);
  venue->set_method("POST");
  venue->set_path("/api/v3/order");
  for (auto [name, value] : {std::pair{"symbol", "BTCUSDT"},
                             {"side", "BUY"},
                             {"type", "LIMIT"},
                             {"timeInForce", "GTC"},
                             {"quantity", "0.00150000"},
                             {"price", "64123.45"},
                             {"newClientOrderId", "0190a3b2-7c41-7d3e-8f00-2b9d3c4e5f60"}}) {
    signer::v1::Param* p = venue->add_params();
    p->set_name(name);
    p->set_value(value);
  }
  venue->set_timestamp_ms(1717171717171);
  venue->set_recv_window_ms(5000);
  const Timestamp now = Timestamp::FromMillis(1717171717171);
  for (auto _ : state) {
    signer::v1::SignResponse response = engine.Sign(request, now);
    if (!response.signed_()) std::abort();
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EngineBinanceOrder)
    ->Arg(signer::v1::ALGORITHM_HMAC_SHA256)
    ->Arg(signer::v1::ALGORITHM_ED25519)
    ->ArgName("algorithm");

}  // namespace
}  // namespace tradeplane::signing
