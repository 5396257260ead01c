#include "binance_json.h"

#include "tradeplane/binance_api/vocabulary.h"

namespace tradeplane::venue_sim {
namespace {

constexpr std::string_view kStpMode = "EXPIRE_TAKER";  // the matching engine's rule

bool OnBook(const EngineOrder& order, OrderStatus status) {
  bool open =
      status == orders::v1::ORDER_STATUS_NEW || status == orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
  return open && order.type != orders::v1::ORDER_TYPE_MARKET &&
         (order.time_in_force == orders::v1::TIME_IN_FORCE_GTC ||
          order.type == orders::v1::ORDER_TYPE_LIMIT_MAKER);
}

// The fields every order shape starts with, after symbol.
void WriteCore(JsonOut& out, const EngineOrder& o, const OrderMeta& meta) {
  out.Money("price", o.price.raw())
      .Money("origQty", o.qty.raw())
      .Money("executedQty", o.filled_qty.raw())
      .Money("origQuoteOrderQty", 0)
      .Money("cummulativeQuoteQty", o.filled_quote.raw())
      .Str("status", binance_api::OrderStatusText(o.status, meta.expired_in_match))
      .Str("timeInForce", binance_api::TimeInForceText(o.time_in_force))
      .Str("type", binance_api::OrderTypeText(o.type))
      .Str("side", binance_api::SideText(o.side));
}

}  // namespace

void WriteNewOrderResponse(JsonOut& out, std::string_view symbol, const EngineOrder& o,
                           const OrderMeta& meta, OrderRespType type,
                           std::span<const FillReport> fills, std::string_view commission_asset,
                           int64_t transact_ms) {
  out.BeginObject()
      .Str("symbol", symbol)
      .Num("orderId", static_cast<int64_t>(o.id))
      .Num("orderListId", -1)
      .Str("clientOrderId", o.client_order_id.view())
      .Num("transactTime", transact_ms);
  if (type != OrderRespType::kAck) {
    WriteCore(out, o, meta);
    out.Num("workingTime", OnBook(o, o.status) || o.filled_qty.is_positive() ? transact_ms : -1)
        .Str("selfTradePreventionMode", kStpMode);
  }
  if (type == OrderRespType::kFull) {
    out.Key("fills").BeginArray();
    for (const FillReport& f : fills) {
      out.BeginObject()
          .Money("price", f.price.raw())
          .Money("qty", f.qty.raw())
          .Money("commission", f.commission.raw())
          .Str("commissionAsset", commission_asset)
          .Num("tradeId", static_cast<int64_t>(f.trade_id))
          .EndObject();
    }
    out.EndArray();
  }
  out.EndObject();
}

void WriteOrder(JsonOut& out, std::string_view symbol, const EngineOrder& o,
                const OrderMeta& meta) {
  out.BeginObject()
      .Str("symbol", symbol)
      .Num("orderId", static_cast<int64_t>(o.id))
      .Num("orderListId", -1)
      .Str("clientOrderId", o.client_order_id.view());
  WriteCore(out, o, meta);
  out.Money("stopPrice", 0)
      .Money("icebergQty", 0)
      .Num("time", o.created.millis())
      .Num("updateTime", o.updated.millis())
      .Flag("isWorking", OnBook(o, o.status))
      .Num("workingTime", o.created.millis())
      .Str("selfTradePreventionMode", kStpMode)
      .EndObject();
}

void WriteCancel(JsonOut& out, std::string_view symbol, const EngineOrder& o, const OrderMeta& meta,
                 int64_t transact_ms) {
  out.BeginObject()
      .Str("symbol", symbol)
      .Str("origClientOrderId", o.client_order_id.view())
      .Num("orderId", static_cast<int64_t>(o.id))
      .Num("orderListId", -1)
      .Str("clientOrderId", meta.cancel_client_order_id)
      .Num("transactTime", transact_ms);
  WriteCore(out, o, meta);
  out.Str("selfTradePreventionMode", kStpMode).EndObject();
}

void WriteMyTrade(JsonOut& out, std::string_view symbol, const AccountTrade& t,
                  std::string_view commission_asset) {
  out.BeginObject()
      .Str("symbol", symbol)
      .Num("id", static_cast<int64_t>(t.id))
      .Num("orderId", static_cast<int64_t>(t.order_id))
      .Num("orderListId", -1)
      .Money("price", t.price.raw())
      .Money("qty", t.qty.raw())
      .Money("quoteQty", t.quote_qty.raw())
      .Money("commission", t.commission.raw())
      .Str("commissionAsset", commission_asset)
      .Num("time", t.time.millis())
      .Flag("isBuyer", t.buyer)
      .Flag("isMaker", t.maker)
      .Flag("isBestMatch", true)
      .EndObject();
}

std::string ExecutionReport(std::string_view symbol, const matching::MatchEvent& e,
                            const EngineOrder& o, const OrderMeta& meta,
                            std::string_view commission_asset, int64_t event_ms,
                            uint64_t execution_id) {
  using matching::MatchEventKind;
  std::string_view execution_type = "NEW";
  switch (e.kind) {
    case MatchEventKind::kAccepted:
      execution_type = "NEW";
      break;
    case MatchEventKind::kFill:
      execution_type = "TRADE";
      break;
    case MatchEventKind::kCanceled:
      execution_type = "CANCELED";
      break;
    case MatchEventKind::kExpired:
      execution_type =
          e.reason == matching::OrderReason::kSelfTradePrevention ? "TRADE_PREVENTION" : "EXPIRED";
      break;
    case MatchEventKind::kRejected:
      execution_type = "REJECTED";
      break;
  }
  bool fill = e.kind == MatchEventKind::kFill;
  bool canceled = e.kind == MatchEventKind::kCanceled;
  bool stp =
      e.kind == MatchEventKind::kExpired && e.reason == matching::OrderReason::kSelfTradePrevention;
  JsonOut out;
  out.BeginObject()
      .Str("e", "executionReport")
      .Num("E", event_ms)
      .Str("s", symbol)
      // On a cancel, c is the cancel request's id and C the order's own.
      .Str("c", canceled ? std::string_view(meta.cancel_client_order_id) : o.client_order_id.view())
      .Str("S", binance_api::SideText(o.side))
      .Str("o", binance_api::OrderTypeText(o.type))
      .Str("f", binance_api::TimeInForceText(o.time_in_force))
      .Money("q", o.qty.raw())
      .Money("p", o.price.raw())
      .Money("P", 0)
      .Money("F", 0)
      .Num("g", -1)
      .Str("C", canceled ? o.client_order_id.view() : std::string_view())
      .Str("x", execution_type)
      .Str("X", binance_api::OrderStatusText(e.status, stp))
      .Str("r", "NONE")
      .Num("i", static_cast<int64_t>(o.id))
      .Money("l", fill ? e.qty.raw() : 0)
      .Money("z", e.filled_qty.raw())
      .Money("L", fill ? e.price.raw() : 0)
      .Money("n", fill ? e.fee.raw() : 0);
  out.Key("N");
  if (fill) {
    out.String(commission_asset);
  } else {
    out.Null();
  }
  out.Num("T", e.time.millis())
      .Num("t", fill ? static_cast<int64_t>(e.trade_id) : -1)
      .Num("I", static_cast<int64_t>(execution_id))
      .Flag("w", OnBook(o, e.status))
      .Flag("m", fill && e.liquidity == orders::v1::LIQUIDITY_MAKER)
      .Flag("M", false)
      .Num("O", o.created.millis())
      .Money("Z", meta.cum_quote_raw)
      .Money("Y", fill ? e.quote_qty.raw() : 0)
      .Money("Q", 0)
      .Num("W", o.created.millis())
      .Str("V", kStpMode)
      .EndObject();
  return out.Take();
}

}  // namespace tradeplane::venue_sim
