// tradeplane-venue-sim as a process for the tests: config, start, and
// clients for its three ports (signed REST as Binance clients sign, the
// control port, WebSocket streams).
#ifndef TRADEPLANE_TESTS_INTEGRATION_VENUE_SIM_VENUE_SIM_FIXTURE_H_
#define TRADEPLANE_TESTS_INTEGRATION_VENUE_SIM_VENUE_SIM_FIXTURE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/net/websocket_client.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

#include <rapidjson/document.h>

namespace tradeplane::venue_sim_test {

// Binance's API documentation, "SIGNED endpoint examples for POST /api/v3/order".
inline constexpr char kDocApiKey[] =
    "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
inline constexpr char kDocSecret[] =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
// An Ed25519 API key: RFC 8032 section 7.1, test 1's secret key.
inline constexpr char kEdApiKey[] = "EdKeyRfc8032Test1";
inline constexpr char kEdSeedHex[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

inline const std::string kData = TRADEPLANE_SOURCE_DIR "/data/";
inline const std::string kSpotFrames = kData + "binance/spot-2021-10-12.ws.log";
inline const std::string kSpotSnapshots = kData + "binance/spot-2021-10-12.rest.log";
inline const std::string kFuturesFrames = kData + "binance/usdm-futures-2021-07-22.ws.log";
inline const std::string kFuturesSnapshots = kData + "binance/usdm-futures-2021-07-22.rest.log";
inline const std::string kAmzn = kData + "lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv";

// Replays for the config's `replays:` list (lines of YAML).
std::string SpotReplay(std::string_view speed = "AS_FAST_AS_POSSIBLE");
std::string FuturesReplay(std::string_view speed = "AS_FAST_AS_POSSIBLE");
std::string AmznReplay(std::string_view speed = "AS_FAST_AS_POSSIBLE");

struct Response {
  int status = 0;
  std::string body;
  net::HttpHeaders headers;
  rapidjson::Document json;
  std::string transport_error;  // the client's status when no response came

  // A Binance error's code, or 0.
  int code() const;
  std::string Str(const char* key) const;
  int64_t Int(const char* key) const;
};

// A decimal string from a response as raw 1e-9 units.
int64_t Raw(std::string_view decimal);
std::string Str(const rapidjson::Value& v, const char* key);
int64_t Int(const rapidjson::Value& v, const char* key);

struct SimOptions {
  std::string extra_yaml;  // replays, latency_us, lockstep...
  int64_t fixed_server_time_ms = 0;
  bool metrics = false;  // serve /metrics on a free port
};

class VenueSim {
 public:
  VenueSim() = default;
  ~VenueSim();

  // Writes the keys and the config, starts the process, waits for /ping.
  void Start(const SimOptions& options);
  void Stop();

  // REST without credentials: "/api/v3/depth?symbol=NKNUSDT".
  Response Get(const std::string& path_and_query, const net::HttpHeaders& headers = {});
  Response Rest(std::string_view method, const std::string& path_and_query,
                const net::HttpHeaders& headers = {}, std::string_view body = "");
  // A SIGNED call with the documentation's HMAC key: appends recvWindow? (not
  // added), timestamp (the fixed server time or now) and the signature.
  Response Signed(std::string_view method, const std::string& path, const std::string& query,
                  std::string_view api_key = kDocApiKey);
  // The same, signed with the Ed25519 key.
  Response SignedEd25519(std::string_view method, const std::string& path,
                         const std::string& query);
  // With the API key header only (userDataStream).
  Response Keyed(std::string_view method, const std::string& path_and_query,
                 std::string_view api_key = kDocApiKey);
  Response Control(std::string_view method, const std::string& path_and_query);

  // ws://127.0.0.1:<ws port><path>
  std::string WsUrl(const std::string& path) const;
  std::string Metrics();
  std::string Log() const;

  int64_t timestamp_ms() const;
  int rest_port() const { return rest_port_; }
  testing::Subprocess* process() { return process_.get(); }
  const testing::TempDir& dir() const { return dir_; }

 private:
  testing::TempDir dir_;
  int rest_port_ = 0;
  int ws_port_ = 0;
  int control_port_ = 0;
  int metrics_port_ = -1;
  int64_t fixed_ms_ = 0;
  std::unique_ptr<testing::Subprocess> process_;
  net::HttpClient http_;
};

// Reads stream frames until `done` says so or `timeout` passes; returns them.
std::vector<std::string> ReceiveUntil(net::WebSocketClient& ws,
                                      const std::function<bool(const std::string&)>& done,
                                      std::chrono::milliseconds timeout);

}  // namespace tradeplane::venue_sim_test

#endif  // TRADEPLANE_TESTS_INTEGRATION_VENUE_SIM_VENUE_SIM_FIXTURE_H_
