// The account endpoints of RestApi: myTrades, account and the user-data
// stream's listen keys.
#include <algorithm>

#include "tradeplane/core/str_cat.h"

#include "json_out.h"
#include "rest_api.h"

namespace tradeplane::venue_sim {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;

}  // namespace

OrError<std::string> RestApi::MyTrades(Call& call) {
  OrError<InstrumentIndex> i = ReadSymbol(call, /*required=*/true);
  if (!i.ok()) return i.error;
  OrError<std::optional<int64_t>> order_id = call.params.Int("orderId");
  if (!order_id.ok()) return order_id.error;
  OrError<std::optional<int64_t>> start = call.params.Int("startTime");
  if (!start.ok()) return start.error;
  OrError<std::optional<int64_t>> end = call.params.Int("endTime");
  if (!end.ok()) return end.error;
  OrError<std::optional<int64_t>> from_id = call.params.Int("fromId");
  if (!from_id.ok()) return from_id.error;
  OrError<std::optional<int64_t>> limit = call.params.Int("limit");
  if (!limit.ok()) return limit.error;
  if (auto unread = call.params.CheckAllRead()) return *unread;

  int64_t n = limit->value_or(500);
  if (n < 1 || n > 1000) return binance_errors::InvalidParameter("limit", "must be 1 to 1000");
  // Binance's supported combinations: fromId goes with orderId only.
  if (from_id->has_value() && (start->has_value() || end->has_value())) {
    return binance_errors::BadParamCombination();
  }
  if (start->has_value() && end->has_value()) {
    if (**end < **start) return binance_errors::BadParamCombination();
    if (**end - **start > kDayMs) {
      return BinanceError{400, -1127, "More than 24 hours between startTime and endTime.", ""};
    }
  }
  sim_.CatchUp();
  const std::vector<AccountTrade>& all = exchange_.Trades(call.account, *i);
  std::vector<const AccountTrade*> picked;
  for (const AccountTrade& t : all) {
    if (order_id->has_value() && t.order_id != static_cast<OrderId>(**order_id)) continue;
    if (from_id->has_value() && static_cast<int64_t>(t.id) < **from_id) continue;
    if (start->has_value() && t.time.millis() < **start) continue;
    if (end->has_value() && t.time.millis() > **end) continue;
    picked.push_back(&t);
  }
  // fromId and startTime page forwards from their point; otherwise the most
  // recent trades. Either way oldest first, as Binance returns them.
  size_t count = std::min<size_t>(picked.size(), static_cast<size_t>(n));
  size_t first = (from_id->has_value() || start->has_value()) ? 0 : picked.size() - count;
  JsonOut out;
  out.BeginArray();
  for (size_t k = first; k < first + count; ++k) {
    WriteMyTrade(out, exchange_.spec(*i).id.symbol, *picked[k], exchange_.spec(*i).quote_asset);
  }
  out.EndArray();
  return out.Take();
}

OrError<std::string> RestApi::Account(Call& call) {
  std::optional<std::string_view> omit = call.params.Get("omitZeroBalances");
  if (omit && *omit != "true" && *omit != "false") {
    return binance_errors::InvalidParameter("omitZeroBalances", "must be true or false");
  }
  if (auto unread = call.params.CheckAllRead()) return *unread;
  sim_.CatchUp();
  absl::StatusOr<std::vector<matching::AssetBalance>> balances = exchange_.Balances(call.account);
  if (!balances.ok())
    return binance_errors::Unknown(std::string(ToStd(balances.status().message())));
  const matching::FeeSchedule& fees = exchange_.fees();
  // Fee rates as fractions: bps / 10000, exact at the suite's nine decimals.
  int64_t maker_rate = fees.maker_bps.raw() / 10'000;
  int64_t taker_rate = fees.taker_bps.raw() / 10'000;
  JsonOut out;
  out.BeginObject()
      .Num("makerCommission", fees.maker_bps.raw() / kFixedPointScale)
      .Num("takerCommission", fees.taker_bps.raw() / kFixedPointScale)
      .Num("buyerCommission", 0)
      .Num("sellerCommission", 0);
  out.Key("commissionRates")
      .BeginObject()
      .Money("maker", maker_rate)
      .Money("taker", taker_rate)
      .Money("buyer", 0)
      .Money("seller", 0)
      .EndObject();
  out.Flag("canTrade", true)
      .Flag("canWithdraw", false)
      .Flag("canDeposit", false)
      .Flag("brokered", false)
      .Flag("requireSelfTradePrevention", false)
      .Flag("preventSor", false)
      .Num("updateTime", exchange_.account_update_ms(call.account))
      .Str("accountType", "SPOT");
  out.Key("balances").BeginArray();
  for (const matching::AssetBalance& b : *balances) {
    if (omit && *omit == "true" && b.free.is_zero() && b.locked.is_zero()) continue;
    out.BeginObject()
        .Str("asset", b.asset)
        .Money("free", b.free.raw())
        .Money("locked", b.locked.raw())
        .EndObject();
  }
  out.EndArray();
  out.Key("permissions").BeginArray().String("SPOT").EndArray();
  out.Num("uid", static_cast<int64_t>(call.account)).EndObject();
  return out.Take();
}

OrError<std::string> RestApi::StartUserStream(Call& call) {
  if (auto unread = call.params.CheckAllRead()) return *unread;
  JsonOut out;
  out.BeginObject().Str("listenKey", hub_.CreateListenKey(call.account)).EndObject();
  return out.Take();
}

OrError<std::string> RestApi::KeepAliveUserStream(Call& call) {
  OrError<std::string_view> key = call.params.Required("listenKey");
  if (!key.ok()) return key.error;
  std::string k(*key);
  if (auto unread = call.params.CheckAllRead()) return *unread;
  if (!hub_.KeepAlive(k, call.account)) return binance_errors::InvalidListenKey();
  return std::string("{}");
}

OrError<std::string> RestApi::CloseUserStream(Call& call) {
  OrError<std::string_view> key = call.params.Required("listenKey");
  if (!key.ok()) return key.error;
  std::string k(*key);
  if (auto unread = call.params.CheckAllRead()) return *unread;
  if (!hub_.CloseListenKey(k, call.account)) return binance_errors::InvalidListenKey();
  return std::string("{}");
}

}  // namespace tradeplane::venue_sim
