// Binance spot REST and user-data-stream JSON, read into the Venue
// interface's types. Pure: no I/O. Every parser refuses (INVALID_ARGUMENT or
// DATA_LOSS, naming the field) what it cannot read exactly, rather than
// guessing: money comes from JSON strings (or numbers read as text, never as
// double), ids from integers.
//
// Sources: Binance spot API documentation (rest-api.md, user-data-stream.md,
// errors.md, filters.md).
#ifndef TRADEPLANE_BINANCE_VENUE_BINANCE_JSON_H_
#define TRADEPLANE_BINANCE_VENUE_BINANCE_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/execution/venue.h"
#include "tradeplane/execution/venue_error.h"

#include "absl/status/statusor.h"

namespace tradeplane::binance_venue {

// What the parsers need to name things: the instruments by symbol on this
// venue, and the venue for fill ids ("<VENUE>:<SYMBOL>:<trade id>").
struct JsonContext {
  const InstrumentTable* instruments = nullptr;
  Venue venue = common::v1::VENUE_BINANCE;
};

// {"code": -2010, "msg": "..."}
struct BinanceError {
  int64_t code = 0;
  std::string msg;
};
std::optional<BinanceError> ParseError(std::string_view body);

// The classification of a non-2xx answer. `order_entry`: the request places
// or changes an order (POST/DELETE order), for which Binance documents that a
// 5xx or an internal timeout (-1007, -1006) leaves the outcome unknown.
execution::VenueError ClassifyHttpError(int http_status, const std::optional<BinanceError>& error,
                                        int64_t retry_after_ms, bool order_entry);

// "BINANCE:BTCUSDT:12345"
std::string FillId(Venue venue, std::string_view symbol, uint64_t trade_id);

// One order object (GET/DELETE /api/v3/order, the entries of openOrders, the
// order part of a POST /api/v3/order response).
absl::StatusOr<execution::VenueOrder> ParseOrder(std::string_view body, const JsonContext& context);
// A JSON array of order objects; entries that are order lists (OCO) are skipped.
absl::StatusOr<std::vector<execution::VenueOrder>> ParseOrderArray(std::string_view body,
                                                                   const JsonContext& context);
// POST /api/v3/order with newOrderRespType=FULL: the order and its fills.
absl::StatusOr<execution::SubmitAck> ParseSubmitResponse(std::string_view body,
                                                         const JsonContext& context);
// POST /api/v3/order/cancelReplace: the new order, when it was placed.
absl::StatusOr<execution::VenueOrder> ParseCancelReplaceResponse(std::string_view body,
                                                                 const JsonContext& context);

// GET /api/v3/myTrades: fills, oldest first, with the venue trade id of each.
// client_order_id is left empty (Binance does not send it): callers map it
// from the venue order id.
struct TradeRecord {
  uint64_t trade_id = 0;
  Fill fill;
};
absl::StatusOr<std::vector<TradeRecord>> ParseMyTrades(std::string_view body,
                                                       const JsonContext& context);

// GET /api/v3/account: the balances.
absl::StatusOr<std::vector<execution::VenueBalance>> ParseAccount(std::string_view body);

// GET /api/v3/exchangeInfo: one spec per symbol (PRICE_FILTER tick, LOT_SIZE
// step/min/max, NOTIONAL or MIN_NOTIONAL). `symbols` empty: every symbol.
absl::StatusOr<std::vector<InstrumentSpec>> ParseExchangeInfo(
    std::string_view body, Venue venue, const std::vector<std::string>& symbols);

// POST /api/v3/userDataStream: {"listenKey": "..."}
absl::StatusOr<std::string> ParseListenKey(std::string_view body);

// One user-data-stream message.
struct StreamEvent {
  enum class Kind { kExecutionReport, kListenKeyExpired, kOther };
  Kind kind = Kind::kOther;
  std::string event_type;         // "e"
  execution::VenueUpdate update;  // kExecutionReport
  uint64_t trade_id = 0;          // kExecutionReport of a trade
};
// Accepts the raw event and the {"subscriptionId":..,"event":{...}} wrapping.
absl::StatusOr<StreamEvent> ParseStreamEvent(std::string_view text, const JsonContext& context);

}  // namespace tradeplane::binance_venue

#endif  // TRADEPLANE_BINANCE_VENUE_BINANCE_JSON_H_
