// Binance spot JSON shapes for orders, fills and user-data events, written
// from the matching engine's orders (field names and order as in Binance's
// "Spot API" and "User Data Streams" documentation). Money is written as
// strings with at least eight decimals; times in milliseconds.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_BINANCE_JSON_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_BINANCE_JSON_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tradeplane/core/order.h"
#include "tradeplane/matching/engine_order.h"
#include "tradeplane/matching/match_event.h"

#include "exchange.h"
#include "json_out.h"

namespace tradeplane::venue_sim {

// What an order response says, by newOrderRespType.
enum class OrderRespType { kAck, kResult, kFull };

// POST /api/v3/order's answer (ACK, RESULT or FULL with its fills).
void WriteNewOrderResponse(JsonOut& out, std::string_view symbol, const EngineOrder& order,
                           const OrderMeta& meta, OrderRespType type,
                           std::span<const FillReport> fills, std::string_view commission_asset,
                           int64_t transact_ms);
// GET /api/v3/order and each element of GET /api/v3/openOrders.
void WriteOrder(JsonOut& out, std::string_view symbol, const EngineOrder& order,
                const OrderMeta& meta);
// DELETE /api/v3/order and each element of DELETE /api/v3/openOrders.
void WriteCancel(JsonOut& out, std::string_view symbol, const EngineOrder& order,
                 const OrderMeta& meta, int64_t transact_ms);
// One element of GET /api/v3/myTrades.
void WriteMyTrade(JsonOut& out, std::string_view symbol, const AccountTrade& trade,
                  std::string_view commission_asset);

// The executionReport user-data event for one engine event of `order`.
// `execution_id` is the venue-wide I field.
std::string ExecutionReport(std::string_view symbol, const matching::MatchEvent& event,
                            const EngineOrder& order, const OrderMeta& meta,
                            std::string_view commission_asset, int64_t event_ms,
                            uint64_t execution_id);

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_BINANCE_JSON_H_
