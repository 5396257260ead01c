// BinanceLiveFeed: market data from Binance (or anything speaking its market
// streams, such as the venue simulator) over a WebSocket, with local order
// books kept by Binance's documented procedure.
//
// It subscribes to one combined stream,
//   <ws_url>/stream?streams=<sym>@depth@100ms/<sym>@bookTicker/<sym>@trade/...
// (USD-M futures: @aggTrade instead of @trade, which the futures streams do
// not document), and, once a symbol's first depth update has been buffered,
// fetches a depth snapshot over REST,
//   GET <rest_url>/api/v3/depth?symbol=<SYM>&limit=1000   (spot)
//   GET <rest_url>/fapi/v1/depth?symbol=<SYM>&limit=1000  (USD-M futures)
// and joins the two with marketdata::BinanceBookSync. The frames are applied
// exactly as the recording replay applies them (one shared driver), so a live
// session and its recording build the same books.
//
// Threads. The WebSocket client and the HTTP client are blocking, so they run
// on a reader thread of the feed's own; the service's main loop calls Step(),
// which never blocks: it takes what the reader queued (frames, snapshot
// bodies, connection events), parses it and drives the engine. A bounded
// queue sits between the two; when the main loop falls behind and the queue
// is full, frames are dropped and counted (a depth gap then resynchronizes the
// book, as after any loss) rather than stalling the socket until Binance
// disconnects a slow consumer. The reader signals an eventfd (wake_fd()) when
// the queue stops being empty, so the service can poll it beside its bus
// sockets and deliver a frame within microseconds instead of on a timer.
//
// Failure handling:
//  - a lost connection (or a refused one) is retried after reconnect_backoff_ms,
//    doubling up to max_backoff_ms; the backoff resets once frames flow again;
//  - every reconnect resubscribes and starts every book over (the engine shows
//    RESYNCING; a new snapshot follows the first buffered update);
//  - a sequence gap in a depth stream resynchronizes that symbol alone with a
//    new snapshot; a snapshot that does not join, or a failed REST request, is
//    retried with the same backoff (a 418/429 waits at least its Retry-After);
//  - after rollover_s (default 23 h: Binance cuts every connection at 24 h)
//    the feed closes and reconnects on its own, at a moment it chooses;
//  - a frame that does not parse is reported through FeedContext::bad_input
//    and skipped; nothing in the input can stop the feed.
#ifndef TRADEPLANE_REPLAY_BINANCE_LIVE_FEED_H_
#define TRADEPLANE_REPLAY_BINANCE_LIVE_FEED_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/replay/feed.h"

#include "absl/status/statusor.h"

namespace tradeplane::replay {

// Settings that are not in the config (tests shorten the timeouts).
struct BinanceLiveFeedOptions {
  // Connection events, one sentence each ("connected to ...", "connection
  // lost: ...", "snapshot of BTCUSDT failed: ..."), called on the thread that
  // calls Step(); for the service's log. May be unset.
  std::function<void(std::string_view feed, std::string_view event)> on_connection_event;
  // Frames held between the reader thread and Step() before new ones are dropped.
  size_t max_queued_frames = 65'536;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds snapshot_timeout{10'000};
  // How long one Receive waits before the reader looks at its other duties
  // (snapshot requests, rollover, stopping): the longest the destructor waits
  // for the reader, apart from a request in progress.
  std::chrono::milliseconds receive_slice{25};
  // The depth snapshot's limit parameter (Binance: 5..5000; 1000 is its
  // weight-efficient maximum and covers the engine's default book depth).
  int snapshot_limit = 1000;
};

// Counters for metrics and tests; readable from any thread.
struct BinanceLiveFeedCounters {
  uint64_t connects = 0;             // successful connections (the first included)
  uint64_t reconnects = 0;           // connections after the first
  uint64_t connect_failures = 0;     // attempts refused or timed out
  uint64_t disconnects = 0;          // connections lost or closed by the venue
  uint64_t rollovers = 0;            // connections closed by the feed after rollover_s
  uint64_t frames = 0;               // frames received
  uint64_t frames_dropped = 0;       // frames dropped because the queue was full
  uint64_t bad_frames = 0;           // frames that did not parse (also sent to bad_input)
  uint64_t snapshots_requested = 0;  // REST depth requests sent
  uint64_t snapshots_failed = 0;     // requests that failed or answered non-200
  uint64_t snapshots_applied = 0;    // snapshots that joined the stream
  uint64_t gaps = 0;                 // sequence gaps seen in depth streams
  uint64_t resyncs = 0;              // books started over: gaps plus books reset by a reconnect
};

class BinanceLiveFeed : public Feed {
 public:
  ~BinanceLiveFeed() override = default;

  // Readable when Step() has something to do; Step() clears it. Stays
  // valid for the feed's life.
  virtual int wake_fd() const = 0;
  // Reads (clears) wake_fd() without doing the work: for a service that is
  // holding its feeds, so that its poll does not spin.
  virtual void ClearWake() = 0;
  virtual BinanceLiveFeedCounters counters() const = 0;
  // True when every configured symbol's book is synced with the stream.
  virtual bool all_books_synced() const = 0;
};

// Validates the config (venue, URLs, symbols that are configured instruments
// of that venue) and starts the reader thread, which connects at once.
// `context` is copied; the engine, instruments and clock it points to must
// outlive the feed.
absl::StatusOr<std::unique_ptr<BinanceLiveFeed>> CreateBinanceLiveFeed(
    const config::v1::BinanceFeedConfig& config, const FeedContext& context,
    BinanceLiveFeedOptions options = {});

}  // namespace tradeplane::replay

#endif  // TRADEPLANE_REPLAY_BINANCE_LIVE_FEED_H_
