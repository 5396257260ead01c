// Binance market-data JSON: WebSocket stream frames and REST depth snapshots,
// for spot (stream.binance.com, /api/v3) and USD-M futures (fstream, /fapi/v1),
// parsed into typed events with exact decimals (prices and quantities are
// JSON strings, read by the fixed-point parser; no double is involved).
//
// What each market carries (as recorded in data/binance):
//   depthUpdate  both: E, s, U, u, b, a;     futures also T (transaction time), pu
//   bookTicker   both: u, s, b, B, a, A;     futures also e, E, T (spot has no event type
//                                            or times: it is recognised by its stream name
//                                            or its fields)
//   aggTrade     both: E, s, a, p, q, f, l, T, m; spot also M (ignore)
//   trade        spot: E, s, t, p, q, T, m, M (older frames also b, a order ids)
//   kline        both: E, s, k{t, T, s, i, f, L, o, c, h, l, v, n, x, q, V, Q, B}
//
// The recordings' line formats (data/README.md):
//   ws.log    first line "<stream URL> <-> <connect epoch seconds>", then
//             "<receive epoch seconds>: <combined-stream JSON frame>"
//   rest.log  "<request URL> -> <receive epoch seconds>: <JSON body>"
// Blank lines carry nothing; the caller skips them.
//
// Hot path: a BinanceParser reuses one text buffer and fixed memory pools for
// RapidJSON, and the output structs keep their vectors' and strings'
// capacity, so parsing a stream frame allocates nothing after warm-up.
#ifndef TRADEPLANE_MARKETDATA_BINANCE_FORMAT_H_
#define TRADEPLANE_MARKETDATA_BINANCE_FORMAT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

enum class BinanceMarket : uint8_t { kSpot, kUsdmFutures };

struct BinanceDepthUpdate {
  std::string symbol;
  Timestamp event_time;          // E
  Timestamp transaction_time;    // T, futures only (zero on spot)
  uint64_t first_update_id = 0;  // U
  uint64_t final_update_id = 0;  // u
  bool has_previous_final_update_id = false;
  uint64_t previous_final_update_id = 0;  // pu, futures only
  std::vector<BookLevel> bids;            // absolute quantities; 0 removes the level
  std::vector<BookLevel> asks;
};

struct BinanceBookTicker {
  std::string symbol;
  uint64_t update_id = 0;  // u, in the same id space as the depth stream's u
  Price bid_price;
  Quantity bid_qty;
  Price ask_price;
  Quantity ask_qty;
  Timestamp event_time;        // E, futures only
  Timestamp transaction_time;  // T, futures only
};

struct BinanceAggTrade {
  std::string symbol;
  Timestamp event_time;  // E
  uint64_t aggregate_trade_id = 0;
  Price price;
  Quantity qty;
  uint64_t first_trade_id = 0;
  uint64_t last_trade_id = 0;
  Timestamp trade_time;         // T
  bool buyer_is_maker = false;  // m: true means the seller was the aggressor
};

struct BinanceTrade {
  std::string symbol;
  Timestamp event_time;
  uint64_t trade_id = 0;
  Price price;
  Quantity qty;
  uint64_t buyer_order_id = 0;   // b, when present
  uint64_t seller_order_id = 0;  // a, when present
  Timestamp trade_time;
  bool buyer_is_maker = false;
};

struct BinanceKline {
  std::string symbol;
  Timestamp event_time;
  Timestamp open_time;          // t
  Timestamp close_time;         // T (the last millisecond of the interval)
  std::string interval;         // i, e.g. "1m"
  int64_t first_trade_id = -1;  // f (-1 when the kline has no trade)
  int64_t last_trade_id = -1;   // L
  Price open;
  Price high;
  Price low;
  Price close;
  Quantity volume;                 // v, base asset
  uint64_t trade_count = 0;        // n
  bool closed = false;             // x
  Amount quote_volume;             // q
  Quantity taker_buy_base_volume;  // V
  Amount taker_buy_quote_volume;   // Q
};

enum class BinanceEventKind : uint8_t {
  kNone,
  kDepthUpdate,
  kBookTicker,
  kAggTrade,
  kTrade,
  kKline,
};

// One stream frame; only the member named by `kind` is filled. A tagged
// struct rather than a variant so every member keeps its capacity.
struct BinanceFrame {
  BinanceEventKind kind = BinanceEventKind::kNone;
  Timestamp receive_time;
  std::string stream;  // "nknusdt@depth@100ms"; empty for a raw (not combined) frame
  BinanceDepthUpdate depth;
  BinanceBookTicker book_ticker;
  BinanceAggTrade agg_trade;
  BinanceTrade trade;
  BinanceKline kline;
};

struct BinanceDepthSnapshot {
  BinanceMarket market = BinanceMarket::kSpot;
  std::string symbol;  // from the request URL's symbol parameter
  Timestamp receive_time;
  uint64_t last_update_id = 0;
  Timestamp event_time;         // E, futures only
  Timestamp transaction_time;   // T, futures only
  std::vector<BookLevel> bids;  // best first, as sent
  std::vector<BookLevel> asks;
};

struct BinanceWsLogHeader {
  std::string url;
  BinanceMarket market = BinanceMarket::kSpot;  // fstream host = futures
  Timestamp connect_time;
};

// Parse errors name the field and why, never a file or line (the caller adds
// them). A well-formed frame of an event type not listed above is refused with
// absl::StatusCode::kUnimplemented, so callers can count and skip it apart
// from malformed input (kInvalidArgument).
class BinanceParser {
 public:
  BinanceParser();
  ~BinanceParser();
  BinanceParser(const BinanceParser&) = delete;
  BinanceParser& operator=(const BinanceParser&) = delete;

  // "<receive epoch seconds>: <JSON frame>"
  absl::Status ParseWsLogLine(std::string_view line, BinanceFrame* out);
  // A frame as received: combined ({"stream":..., "data":{...}}) or raw ({...}).
  absl::Status ParseFrame(std::string_view json, Timestamp receive_time, BinanceFrame* out);
  // "<request URL> -> <receive epoch seconds>: <JSON body>"
  absl::Status ParseRestLogLine(std::string_view line, BinanceDepthSnapshot* out);
  // A GET /api/v3/depth or /fapi/v1/depth body; market and symbol from the URL.
  absl::Status ParseDepthSnapshot(std::string_view url, std::string_view json,
                                  Timestamp receive_time, BinanceDepthSnapshot* out);

 private:
  struct Json;
  std::unique_ptr<Json> json_;
};

// Convenience forms that allocate (tests, tools).
absl::StatusOr<BinanceFrame> ParseBinanceWsLogLine(std::string_view line);
absl::StatusOr<BinanceDepthSnapshot> ParseBinanceRestLogLine(std::string_view line);
absl::StatusOr<BinanceWsLogHeader> ParseBinanceWsLogHeader(std::string_view line);

// "<...> <epoch seconds>" with up to nine decimals, e.g. "1633998512.0633569".
absl::StatusOr<Timestamp> ParseEpochSeconds(std::string_view text);

// Mapping onto the suite's events. The exchange time is the event time E (the
// transaction time T when present, for trades the trade time); spot
// bookTicker frames carry no time, so their quote's exchange_time is zero.
Quote ToQuote(const BinanceBookTicker& ticker, InstrumentIndex instrument, Timestamp receive_time);
// The aggressor is the buyer unless the buyer was the maker.
Trade ToTrade(const BinanceAggTrade& trade, InstrumentIndex instrument, Timestamp receive_time);
Trade ToTrade(const BinanceTrade& trade, InstrumentIndex instrument, Timestamp receive_time);

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_BINANCE_FORMAT_H_
