// RecordedBinanceVenue: a local stand-in for Binance's market-data endpoints,
// built from a real recording in data/binance. It accepts combined-stream
// WebSocket connections (/stream?streams=...) and answers REST depth requests
// (/api/v3/depth, /fapi/v1/depth), as Binance does.
//
// The test is the venue's clock: SendFrames(n) pushes the recording's next n
// frames to the connected client. The venue keeps its own books, seeded from
// the recorded snapshots and advanced by every frame it has passed (sent or
// not), so a snapshot it serves is the book "now", with lastUpdateId the last
// applied update, as on the real venue. Frames passed while no client is
// connected, or skipped on purpose, are lost to the client, as on a real
// connection; the books still carry them.
#ifndef TRADEPLANE_TESTS_INTEGRATION_BINANCE_FEED_RECORDED_BINANCE_VENUE_H_
#define TRADEPLANE_TESTS_INTEGRATION_BINANCE_FEED_RECORDED_BINANCE_VENUE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tradeplane/marketdata/binance_book_sync.h"
#include "tradeplane/marketdata/binance_format.h"
#include "tradeplane/net/http_server.h"
#include "tradeplane/net/websocket_server.h"

#include "absl/status/statusor.h"

namespace tradeplane::testing {

class RecordedBinanceVenue {
 public:
  // `ws_log` and `rest_log` as in data/binance (a .ws.log and its .rest.log).
  static absl::StatusOr<std::unique_ptr<RecordedBinanceVenue>> Start(const std::string& ws_log,
                                                                     const std::string& rest_log);
  ~RecordedBinanceVenue();

  std::string ws_url() const;    // ws://127.0.0.1:<port>
  std::string rest_url() const;  // http://127.0.0.1:<port>

  size_t frame_count() const { return frames_.size(); }
  size_t frames_passed() const { return next_frame_; }
  // Passes the next `n` frames (fewer at the end), sending each to the
  // connected clients; returns how many were passed.
  size_t SendFrames(size_t n);
  // Passes the next frame without sending it (a frame lost on the way).
  // Returns false at the end.
  bool SkipFrame();
  // The kind of the next frame (kNone at the end).
  marketdata::BinanceEventKind NextFrameKind() const;
  // The symbol of the next frame when it is a depth update, else "".
  std::string NextDepthSymbol() const;
  // Sends `text` as one frame to the connected clients.
  void SendRaw(std::string text);
  // Cuts every connection without a close frame (the client sees 1006).
  void DropConnections();

  size_t open_connections() const { return ws_->connection_count(); }
  uint64_t connections_accepted() const { return accepted_.load(); }
  // The query of the last upgrade request ("streams=a/b/c").
  std::string last_stream_query() const;
  // Depth requests answered, per symbol.
  uint64_t snapshots_served(const std::string& symbol) const;
  // When set, depth requests are answered 429 with Retry-After: 0.
  void set_refuse_snapshots(bool refuse) { refuse_snapshots_.store(refuse); }

 private:
  struct Frame {
    std::string json;
    marketdata::BinanceEventKind kind;
    marketdata::BinanceDepthUpdate depth;  // when kind is kDepthUpdate
  };
  RecordedBinanceVenue() = default;
  net::HttpResponse Depth(const net::HttpRequest& request);
  void Pass(const Frame& frame);

  marketdata::BinanceMarket market_ = marketdata::BinanceMarket::kSpot;
  std::vector<Frame> frames_;
  size_t next_frame_ = 0;

  mutable std::mutex mu_;  // the books and counts, shared with the servers' threads
  std::map<std::string, std::unique_ptr<marketdata::BinanceBookSync>> books_;
  std::map<std::string, uint64_t> served_;
  std::string last_query_;
  std::atomic<uint64_t> accepted_{0};
  std::atomic<bool> refuse_snapshots_{false};

  std::unique_ptr<net::WebSocketServer> ws_;
  std::unique_ptr<net::HttpServer> http_;
};

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTS_INTEGRATION_BINANCE_FEED_RECORDED_BINANCE_VENUE_H_
