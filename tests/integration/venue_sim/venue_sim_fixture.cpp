#include "venue_sim_fixture.h"

#include <csignal>

#include <catch2/catch.hpp>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/query_string.h"
#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/ed25519.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/hmac_sha256.h"
#include "tradeplane/testing/metrics_scrape.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::venue_sim_test {
namespace {

constexpr std::chrono::milliseconds kTimeout{20'000};

std::string Replay(std::string_view format, std::string_view file, std::string_view snapshots,
                   std::string_view symbol, std::string_view speed) {
  std::string yaml = StrCat("  - {format: ", format, ", file: '", file, "'");
  if (!snapshots.empty()) StrAppend(&yaml, ", snapshot_file: '", snapshots, "'");
  if (!symbol.empty()) StrAppend(&yaml, ", instrument: {symbol: ", symbol, "}");
  StrAppend(&yaml, ", speed: ", speed, "}\n");
  return yaml;
}

const signing::Ed25519PrivateKey& EdKey() {
  static const signing::Ed25519PrivateKey* key = [] {
    absl::StatusOr<std::string> seed = signing::HexDecode(kEdSeedHex);
    auto k = signing::Ed25519PrivateKey::FromSeed(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(seed->data()), seed->size()));
    return new signing::Ed25519PrivateKey(std::move(*k));
  }();
  return *key;
}

Response ToResponse(absl::StatusOr<net::HttpResponse> r) {
  Response out;
  if (!r.ok()) {
    out.transport_error = std::string(ToStd(r.status().message()));
    return out;
  }
  out.status = r->status;
  out.body = r->body;
  out.headers = r->headers;
  out.json.Parse(out.body.data(), out.body.size());
  return out;
}

}  // namespace

std::string SpotReplay(std::string_view speed) {
  return Replay("BINANCE_RECORDING", kSpotFrames, kSpotSnapshots, "", speed);
}
std::string FuturesReplay(std::string_view speed) {
  return Replay("BINANCE_RECORDING", kFuturesFrames, kFuturesSnapshots, "", speed);
}
std::string AmznReplay(std::string_view speed) {
  return Replay("LOBSTER", kAmzn, "", "AMZN", speed);
}

int Response::code() const {
  if (!json.IsObject() || !json.HasMember("code") || !json["code"].IsInt()) return 0;
  return json["code"].GetInt();
}
std::string Response::Str(const char* key) const { return venue_sim_test::Str(json, key); }
int64_t Response::Int(const char* key) const { return venue_sim_test::Int(json, key); }

std::string Str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return "<missing " + std::string(key) + ">";
  return std::string(v[key].GetString(), v[key].GetStringLength());
}

int64_t Int(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsInt64()) return INT64_MIN;
  return v[key].GetInt64();
}

int64_t Raw(std::string_view decimal) {
  absl::StatusOr<int64_t> raw = fixed_point::ParseRaw(decimal);
  return raw.ok() ? *raw : INT64_MIN;
}

VenueSim::~VenueSim() { Stop(); }

void VenueSim::Start(const SimOptions& options) {
  rest_port_ = testing::FreeTcpPort();
  ws_port_ = testing::FreeTcpPort();
  control_port_ = testing::FreeTcpPort();
  metrics_port_ = options.metrics ? testing::FreeTcpPort() : -1;
  fixed_ms_ = options.fixed_server_time_ms;
  testing::WriteFile(dir_.File("hmac.key"), std::string(kDocSecret) + "\n");
  testing::WriteFile(dir_.File("ed.pem"), EdKey().public_key().ToPem());
  std::string yaml = StrCat(
      "common:\n"
      "  admin: {port: -1}\n"
      "  telemetry: {metrics_port: ",
      metrics_port_,
      ", log_file: sim.log}\n"
      "rest_port: ",
      rest_port_, "\nws_port: ", ws_port_, "\ncontrol_port: ", control_port_,
      "\n"
      "maker_fee_bps: 2\n"
      "taker_fee_bps: 10\n"
      "api_key_dir: .\n"
      "api_keys: {",
      kDocApiKey, ": hmac.key, ", kEdApiKey,
      ": ed.pem}\n"
      "initial_balances: {USDT: '100000', NKN: '100000', SUSHI: '10000', USD: '10000000', "
      "AMZN: '10000', BTC: '100', LTC: '10000'}\n"
      "instruments:\n"
      "  - {id: {symbol: NKNUSDT}, base_asset: NKN, quote_asset: USDT, tick_size: '0.0001', "
      "lot_size: '1', min_notional: '1'}\n"
      "  - {id: {symbol: SUSHIUSDT}, base_asset: SUSHI, quote_asset: USDT, tick_size: '0.001', "
      "lot_size: '1'}\n"
      "  - {id: {symbol: AMZN}, base_asset: AMZN, quote_asset: USD, tick_size: '0.01', "
      "lot_size: '1'}\n"
      "  - {id: {symbol: LTCBTC}, base_asset: LTC, quote_asset: BTC, tick_size: '0.000001', "
      "lot_size: '0.01'}\n");
  if (fixed_ms_ != 0) StrAppend(&yaml, "fixed_server_time_ms: ", fixed_ms_, "\n");
  yaml += options.extra_yaml;
  testing::WriteFile(dir_.File("sim.yaml"), yaml);
  auto p = testing::Subprocess::Start(
      {testing::BinaryPath("tradeplane-venue-sim"), "--config", dir_.File("sim.yaml")});
  REQUIRE(p.ok());
  process_ = std::move(*p);
  bool up = testing::WaitUntil(
      [&] {
        if (!process_->Running()) return true;
        net::HttpClient probe;
        auto r = probe.Get(StrCat("http://127.0.0.1:", rest_port_, "/api/v3/ping"), {},
                           std::chrono::milliseconds(1000));
        return r.ok() && r->status == 200;
      },
      kTimeout);
  INFO(process_->Output());
  INFO(Log());
  REQUIRE(up);
  REQUIRE(process_->Running());
}

void VenueSim::Stop() {
  if (process_ == nullptr) return;
  process_->Signal(SIGTERM);
  process_->Wait(std::chrono::seconds(20));
  process_.reset();
}

Response VenueSim::Rest(std::string_view method, const std::string& path_and_query,
                        const net::HttpHeaders& headers, std::string_view body) {
  return ToResponse(http_.Request(method, StrCat("http://127.0.0.1:", rest_port_, path_and_query),
                                  headers, body, kTimeout));
}

Response VenueSim::Get(const std::string& path_and_query, const net::HttpHeaders& headers) {
  return Rest("GET", path_and_query, headers);
}

int64_t VenueSim::timestamp_ms() const {
  return fixed_ms_ != 0 ? fixed_ms_ : SystemClock::Instance().Now().millis();
}

Response VenueSim::Signed(std::string_view method, const std::string& path,
                          const std::string& query, std::string_view api_key) {
  std::string total = StrCat(query, query.empty() ? "" : "&", "timestamp=", timestamp_ms());
  signing::HmacSha256Tag tag =
      signing::HmacSha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kDocSecret),
                                                   sizeof(kDocSecret) - 1),
                          total);
  total += "&signature=" + signing::HexEncode(tag);
  return Rest(method, StrCat(path, "?", total), {{"X-MBX-APIKEY", std::string(api_key)}});
}

Response VenueSim::SignedEd25519(std::string_view method, const std::string& path,
                                 const std::string& query) {
  std::string total = StrCat(query, query.empty() ? "" : "&", "timestamp=", timestamp_ms());
  signing::Ed25519Signature sig = EdKey().Sign(total);
  total += "&signature=" + net::PercentEncode(signing::Base64Encode(sig));
  return Rest(method, StrCat(path, "?", total), {{"X-MBX-APIKEY", kEdApiKey}});
}

Response VenueSim::Keyed(std::string_view method, const std::string& path_and_query,
                         std::string_view api_key) {
  return Rest(method, path_and_query, {{"X-MBX-APIKEY", std::string(api_key)}});
}

Response VenueSim::Control(std::string_view method, const std::string& path_and_query) {
  net::HttpClient client;
  return ToResponse(client.Request(
      method, StrCat("http://127.0.0.1:", control_port_, path_and_query), {}, "", kTimeout));
}

std::string VenueSim::WsUrl(const std::string& path) const {
  return StrCat("ws://127.0.0.1:", ws_port_, path);
}

std::string VenueSim::Metrics() { return testing::ScrapeMetrics(metrics_port_); }

std::string VenueSim::Log() const { return testing::ReadFile(dir_.File("sim.log")); }

std::vector<std::string> ReceiveUntil(net::WebSocketClient& ws,
                                      const std::function<bool(const std::string&)>& done,
                                      std::chrono::milliseconds timeout) {
  std::vector<std::string> frames;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    absl::StatusOr<std::string> m = ws.Receive(std::max(left, std::chrono::milliseconds(1)));
    if (!m.ok()) break;
    frames.push_back(*m);
    if (done(frames.back())) break;
  }
  return frames;
}

}  // namespace tradeplane::venue_sim_test
