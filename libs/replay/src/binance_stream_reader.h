// BinanceStreamReader: the live Binance feed's I/O, on a thread of its own.
// It keeps one WebSocket connection to a combined stream open (reconnecting
// with exponential backoff, and by itself after the rollover period), fetches
// the depth snapshots it is asked for, and hands everything to the feed's
// thread through a bounded queue, in the order it happened: frames of a
// connection, then its end; a snapshot after the frames read before it.
//
// Nothing is parsed here: parsing and the books stay on the feed's thread, so
// the reader shares nothing with them but the queue.
#ifndef TRADEPLANE_REPLAY_SRC_BINANCE_STREAM_READER_H_
#define TRADEPLANE_REPLAY_SRC_BINANCE_STREAM_READER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/net/websocket_client.h"

#include "absl/status/statusor.h"

namespace tradeplane::replay {

struct BinanceStreamReaderOptions {
  std::string stream_url;  // ws(s)://host/stream?streams=a/b/c
  // A snapshot's URL is prefix + symbol + suffix:
  // http(s)://host/api/v3/depth?symbol= BTCUSDT &limit=1000
  std::string depth_url_prefix;
  std::string depth_url_suffix;
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30'000};
  std::chrono::seconds rollover{23 * 3600};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds snapshot_timeout{10'000};
  std::chrono::milliseconds receive_slice{25};
  size_t max_queued_frames = 65'536;
  const Clock* clock = nullptr;  // receive times
};

struct BinanceStreamItem {
  enum class Kind : uint8_t {
    kFrame,         // text: the frame as received
    kConnected,     // text: what happened
    kDisconnected,  // text: why
    kNotice,        // text: something worth a log line (a failed connect)
    kSnapshot,      // symbol, url, http_status, text: the body
  };
  Kind kind = Kind::kFrame;
  uint64_t generation = 0;  // the connection it belongs to (1 for the first)
  Timestamp receive_time;
  std::string text;
  std::string symbol;
  std::string url;
  int http_status = 0;  // 0: no response (text says why)
  std::chrono::seconds retry_after{0};
};

// Counters the reader keeps; the feed adds its own.
struct BinanceStreamReaderCounters {
  std::atomic<uint64_t> connects{0};
  std::atomic<uint64_t> connect_failures{0};
  std::atomic<uint64_t> disconnects{0};
  std::atomic<uint64_t> rollovers{0};
  std::atomic<uint64_t> frames{0};
  std::atomic<uint64_t> frames_dropped{0};
  std::atomic<uint64_t> snapshots_requested{0};
};

class BinanceStreamReader {
 public:
  // Creates the wake-up eventfd and starts the thread, which connects at once.
  static absl::StatusOr<std::unique_ptr<BinanceStreamReader>> Start(
      BinanceStreamReaderOptions options);
  // Stops the thread (closing the connection cleanly) and joins it: at most
  // a receive slice, or a snapshot request in progress.
  ~BinanceStreamReader();
  BinanceStreamReader(const BinanceStreamReader&) = delete;
  BinanceStreamReader& operator=(const BinanceStreamReader&) = delete;

  // Asks for a depth snapshot of `symbol` on connection `generation`; a
  // request for an older connection than the current one is dropped.
  void RequestSnapshot(const std::string& symbol, uint64_t generation);
  // Moves up to `max_items` queued items to `out` (replacing its contents);
  // returns true when more are left. Clears the wake-up when it empties the queue.
  bool Take(size_t max_items, std::vector<BinanceStreamItem>* out);

  int wake_fd() const { return wake_fd_; }
  void ClearWake();
  const BinanceStreamReaderCounters& counters() const { return counters_; }

 private:
  struct SnapshotRequest {
    std::string symbol;
    uint64_t generation = 0;
  };

  enum class ConnectionEnd : uint8_t { kLost, kRollover, kStopping };

  BinanceStreamReader(BinanceStreamReaderOptions options, int wake_fd);
  void Run();
  // Reads while the connection is open; returns how it ended.
  ConnectionEnd Serve(uint64_t generation);
  void FetchOneSnapshot(uint64_t generation);
  // False when stopping.
  bool WaitFor(std::chrono::milliseconds delay);
  bool Stopping();
  void Push(BinanceStreamItem item);
  void Wake();
  Timestamp Now() const { return options_.clock->Now(); }

  BinanceStreamReaderOptions options_;
  int wake_fd_ = -1;
  net::WebSocketClient ws_;
  net::HttpClient http_;
  BinanceStreamReaderCounters counters_;

  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::deque<BinanceStreamItem> queue_;
  size_t queued_frames_ = 0;
  std::deque<SnapshotRequest> requests_;
  uint64_t generation_ = 0;  // of the connection open now (or last open)

  std::thread thread_;
};

}  // namespace tradeplane::replay

#endif  // TRADEPLANE_REPLAY_SRC_BINANCE_STREAM_READER_H_
