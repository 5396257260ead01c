// Signatures per second for each algorithm the signer offers, on the work a
// real request costs: an HMAC-SHA256 and an Ed25519 signature over a typical
// Binance order query string, and a full EIP-1559 transaction (RLP, Keccak-256
// and a secp256k1 signature with recovery id). Plus the whole engine path for
// one Binance order (checks, query building, signature, digest).
//
// The *Percentiles benchmarks time each call on its own with the steady clock
// and report p50/p99/p99.9 in ns as counters (and on stderr), with the cost
// of the clock pair itself beside them, as bench/risk does.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>

#include "tradeplane/bench/latency_samples.h"
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

constexpr char kHmacSecret[] = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

signer::v1::KeyMetadata Metadata(signer::v1::Algorithm algorithm, signer::v1::KeyPurpose purpose) {
  signer::v1::KeyMetadata m;
  m.set_key_id("bench");
  m.set_version(1);
  m.set_algorithm(algorithm);
  m.set_purpose(purpose);
  return m;
}

SigningKey HmacKey() {
  return OrDie(SigningKey::Create(
      Metadata(signer::v1::ALGORITHM_HMAC_SHA256, signer::v1::KEY_PURPOSE_VENUE_API),
      OrDie(KeyMaterial::FromHmacSecret(kHmacSecret))));
}

SigningKey Ed25519Key() {
  SystemEntropy entropy;
  return OrDie(
      SigningKey::Create(Metadata(signer::v1::ALGORITHM_ED25519, signer::v1::KEY_PURPOSE_VENUE_API),
                         OrDie(KeyMaterial::Generate(signer::v1::ALGORITHM_ED25519, entropy))));
}

SigningKey Secp256k1Key() {
  SystemEntropy entropy;
  return OrDie(SigningKey::Create(
      Metadata(signer::v1::ALGORITHM_SECP256K1, signer::v1::KEY_PURPOSE_EVM_WALLET),
      OrDie(KeyMaterial::Generate(signer::v1::ALGORITHM_SECP256K1, entropy))));
}

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

// The signer's engine with one venue key of `algorithm`, and a Binance order
// request for it, as the signer service runs them.
struct EngineWithOrder {
  explicit EngineWithOrder(signer::v1::Algorithm algorithm) : engine(nonces) {
    SystemEntropy entropy;
    SecretBytes passphrase = OrDie(SecretBytes::Copy(std::string_view("bench")));
    Keystore store = OrDie(Keystore::Create(passphrase, KdfLimits::Minimum(), entropy));
    signer::v1::KeyPolicy policy;
    policy.add_allowed_venues(common::v1::VENUE_BINANCE);
    policy.add_allowed_kinds(signer::v1::REQUEST_KIND_ORDER);
    policy.set_max_notional_per_request(Amount::Parse("1000").value().raw());
    KeyMaterial material = algorithm == signer::v1::ALGORITHM_HMAC_SHA256
                               ? OrDie(KeyMaterial::FromHmacSecret(kHmacSecret))
                               : OrDie(KeyMaterial::Generate(algorithm, entropy));
    if (!store
             .AddKey({"k", signer::v1::KEY_PURPOSE_VENUE_API, "api-key", policy, 0},
                     std::move(material))
             .ok()) {
      std::abort();
    }
    if (!engine.LoadKeys(store).ok()) std::abort();

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
  }

  signer::v1::SignResponse Sign() { return engine.Sign(request, now); }

  InMemoryNonceAllocator nonces;
  SigningEngine engine;
  signer::v1::SignRequest request;
  const Timestamp now = Timestamp::FromMillis(1717171717171);
};

const char* AlgorithmLabel(int64_t algorithm) {
  return algorithm == signer::v1::ALGORITHM_HMAC_SHA256 ? "HMAC-SHA256" : "Ed25519";
}

void BM_HmacSha256OrderQuery(benchmark::State& state) {
  SigningKey key = HmacKey();
  for (auto _ : state) {
    absl::StatusOr<std::string> signature = key.SignVenueQuery(kOrderQuery);
    benchmark::DoNotOptimize(signature);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("signatures; hex output");
}
BENCHMARK(BM_HmacSha256OrderQuery);

void BM_Ed25519OrderQuery(benchmark::State& state) {
  SigningKey key = Ed25519Key();
  for (auto _ : state) {
    absl::StatusOr<std::string> signature = key.SignVenueQuery(kOrderQuery);
    benchmark::DoNotOptimize(signature);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("signatures; base64 output");
}
BENCHMARK(BM_Ed25519OrderQuery);

void BM_Secp256k1Eip1559Transaction(benchmark::State& state) {
  SigningKey key = Secp256k1Key();
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
  EngineWithOrder fixture(static_cast<signer::v1::Algorithm>(state.range(0)));
  for (auto _ : state) {
    signer::v1::SignResponse response = fixture.Sign();
    if (!response.signed_()) std::abort();
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EngineBinanceOrder)
    ->Arg(signer::v1::ALGORITHM_HMAC_SHA256)
    ->Arg(signer::v1::ALGORITHM_ED25519)
    ->ArgName("algorithm");

// Times `call` `calls` times, one call at a time, and reports the percentiles
// (counters p50_ns, p99_ns, p999_ns, calls_per_s, clock_p50_ns; and a
// line on stderr). Run with Iterations(1): the samples are the measurement.
template <typename Call>
void TimeEachCall(benchmark::State& state, const std::string& what, int calls, Call call) {
  using Clock = std::chrono::steady_clock;
  auto ns_between = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
  };
  bench::LatencySamples samples(static_cast<size_t>(calls));
  bench::LatencySamples clock_pair(static_cast<size_t>(calls));
  int64_t total_ns = 0;
  for (auto _ : state) {
    for (int k = 0; k < calls; ++k) {
      Clock::time_point start = Clock::now();
      call();
      Clock::time_point end = Clock::now();
      samples.Record(ns_between(start, end));
      total_ns += ns_between(start, end);
    }
    // The clock's own cost: two reads with nothing between.
    for (int k = 0; k < calls; ++k) {
      Clock::time_point start = Clock::now();
      Clock::time_point end = Clock::now();
      clock_pair.Record(ns_between(start, end));
    }
  }
  const double per_s =
      total_ns > 0 ? static_cast<double>(samples.size()) * 1e9 / static_cast<double>(total_ns) : 0;
  state.counters["p50_ns"] = static_cast<double>(samples.Percentile(0.50));
  state.counters["p99_ns"] = static_cast<double>(samples.Percentile(0.99));
  state.counters["p999_ns"] = static_cast<double>(samples.Percentile(0.999));
  state.counters["calls_per_s"] = per_s;
  state.counters["clock_p50_ns"] = static_cast<double>(clock_pair.Percentile(0.50));
  std::fprintf(stderr,
               "%s, %d calls timed one by one: %s; %.0f/s (steady clock pair p50 %lld ns)\n",
               what.c_str(), calls, samples.Summary().c_str(), per_s,
               static_cast<long long>(clock_pair.Percentile(0.50)));
}

void BM_HmacSha256Percentiles(benchmark::State& state) {
  SigningKey key = HmacKey();
  TimeEachCall(state, "HMAC-SHA256 order query", 100'000, [&] {
    absl::StatusOr<std::string> signature = key.SignVenueQuery(kOrderQuery);
    if (!signature.ok()) std::abort();
    benchmark::DoNotOptimize(signature);
  });
}
BENCHMARK(BM_HmacSha256Percentiles)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Ed25519Percentiles(benchmark::State& state) {
  SigningKey key = Ed25519Key();
  TimeEachCall(state, "Ed25519 order query", 20'000, [&] {
    absl::StatusOr<std::string> signature = key.SignVenueQuery(kOrderQuery);
    if (!signature.ok()) std::abort();
    benchmark::DoNotOptimize(signature);
  });
}
BENCHMARK(BM_Ed25519Percentiles)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Secp256k1Eip1559Percentiles(benchmark::State& state) {
  SigningKey key = Secp256k1Key();
  EvmTransactionFields tx = Eip1559Transfer();
  TimeEachCall(state, "secp256k1 EIP-1559 transaction", 5'000, [&] {
    absl::StatusOr<SignedEvmTransaction> signed_tx = key.SignEvm(tx);
    if (!signed_tx.ok()) std::abort();
    benchmark::DoNotOptimize(signed_tx);
  });
}
BENCHMARK(BM_Secp256k1Eip1559Percentiles)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Keccak256Percentiles(benchmark::State& state) {
  std::string payload = EvmSigningPayload(Eip1559Transfer());
  TimeEachCall(state, "Keccak-256 of a transaction", 100'000,
               [&] { benchmark::DoNotOptimize(Keccak256Hash(payload)); });
}
BENCHMARK(BM_Keccak256Percentiles)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_EngineBinanceOrderPercentiles(benchmark::State& state) {
  EngineWithOrder fixture(static_cast<signer::v1::Algorithm>(state.range(0)));
  const int calls = state.range(0) == signer::v1::ALGORITHM_HMAC_SHA256 ? 50'000 : 20'000;
  TimeEachCall(state, std::string("engine, Binance order, ") + AlgorithmLabel(state.range(0)),
               calls, [&] {
                 signer::v1::SignResponse response = fixture.Sign();
                 if (!response.signed_()) std::abort();
                 benchmark::DoNotOptimize(response);
               });
}
BENCHMARK(BM_EngineBinanceOrderPercentiles)
    ->Arg(signer::v1::ALGORITHM_HMAC_SHA256)
    ->Arg(signer::v1::ALGORITHM_ED25519)
    ->ArgName("algorithm")
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tradeplane::signing
