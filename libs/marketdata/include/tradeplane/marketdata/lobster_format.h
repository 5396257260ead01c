// The LOBSTER text formats (https://lobsterdata.com/info/DataStructure.php):
// message rows, order-book rows and file names, parsed line by line. The
// parsers know nothing of files: each returns a reason that does not mention
// a file or a line, and the caller adds both.
//
// Message row: time,type,order_id,size,price,direction[,mpid]
//   time       seconds after New York midnight, up to nine decimals
//   type       1 submit, 2 partial cancel, 3 delete, 4 visible execution,
//              5 hidden execution, 6 cross trade, 7 trading halt
//   order_id   integer (0 for hidden executions, -1 for cross trades)
//   size       shares
//   price      US dollars x 10,000 (for type 7: -1 halt, 0 quotes resume,
//              1 trading resumes)
//   direction  1 buy order, -1 sell order; for executions, the side of the
//              resting order that was executed
//   mpid       market participant id (e.g. UBSS) or "null"; optional column
// Order-book row: for level i = 1..N: ask_price_i,ask_size_i,bid_price_i,
// bid_size_i; an empty level is a dummy price (+9999999999 ask, -9999999999
// bid) with size 0.
#ifndef TRADEPLANE_MARKETDATA_LOBSTER_FORMAT_H_
#define TRADEPLANE_MARKETDATA_LOBSTER_FORMAT_H_

#include <cstdint>
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

enum class LobsterEventType : uint8_t {
  kSubmit = 1,
  kPartialCancel = 2,
  kDelete = 3,
  kExecuteVisible = 4,
  kExecuteHidden = 5,
  kCrossTrade = 6,
  kHalt = 7,
};

std::string_view LobsterEventTypeName(LobsterEventType type);

// The state a type-7 message announces (its price column).
enum class LobsterHaltState : int8_t {
  kNone = -2,  // not a halt message
  kHalted = -1,
  kQuotesResumed = 0,
  kTradingResumed = 1,
};

struct LobsterMessage {
  Duration time_after_midnight{0};  // New York wall clock
  LobsterEventType type = LobsterEventType::kSubmit;
  int64_t order_id = 0;
  Quantity size;  // shares
  Price price;    // dollars; zero for halts
  Side direction = common::v1::SIDE_UNSPECIFIED;
  LobsterHaltState halt = LobsterHaltState::kNone;
  char mpid[8] = {};  // empty (all zero) when absent or "null"
};

// One message row. Refuses a wrong column count, non-integer or
// out-of-range numbers, an unknown type or direction, a negative size (or a
// zero one outside halts), a non-positive price outside halts and a halt code
// other than -1, 0, 1.
absl::StatusOr<LobsterMessage> ParseLobsterMessage(std::string_view line);

// One order-book row: the non-empty levels, best first.
struct LobsterBookRow {
  std::vector<BookLevel> asks;
  std::vector<BookLevel> bids;
  size_t levels = 0;  // N, the levels the row has columns for
};

// Parses into `out`, reusing its capacity (allocation-free after the first
// row). `expected_levels` = 0 accepts any multiple of four columns. Refuses a
// size that is negative, a level with size 0 that is not the dummy price, a
// non-empty level after an empty one, prices out of order and a crossed or
// locked row.
absl::Status ParseLobsterBookRow(std::string_view line, size_t expected_levels,
                                 LobsterBookRow* out);
absl::StatusOr<LobsterBookRow> ParseLobsterBookRow(std::string_view line,
                                                   size_t expected_levels = 0);

enum class LobsterFileKind : uint8_t { kMessage, kOrderBook };

// TICKER_YYYY-MM-DD_STARTMS_ENDMS_(message|orderbook)_LEVELS.csv
struct LobsterFileName {
  std::string symbol;
  CivilDate date{};
  Duration start_after_midnight{0};
  Duration end_after_midnight{0};
  LobsterFileKind kind = LobsterFileKind::kMessage;
  size_t levels = 0;
};

// Accepts a bare name or a path (the part after the last '/').
absl::StatusOr<LobsterFileName> ParseLobsterFileName(std::string_view name);

// LOBSTER time (New York wall clock on `date`) as a UTC instant.
absl::StatusOr<Timestamp> LobsterTimeToUtc(CivilDate date, Duration time_after_midnight);

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_LOBSTER_FORMAT_H_
