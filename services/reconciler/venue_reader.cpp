#include "venue_reader.h"

#include "tradeplane/core/str_cat.h"
#include "tradeplane/execution/venue_error.h"

namespace tradeplane::reconciler {
namespace {

namespace rc = reconciliation;

constexpr size_t kTradePageSize = 1000;
// A bound on pages per instrument and run (100,000 trades): a venue that
// keeps saying "more" fails the run instead of holding the service.
constexpr int kMaxTradePages = 100;

}  // namespace

rc::VenueOrder ToReconOrder(const execution::VenueOrder& o) {
  rc::VenueOrder out;
  out.client_order_id = o.client_order_id;
  out.venue_order_id = o.venue_order_id;
  out.instrument = o.instrument;
  out.side = o.side;
  out.status = o.status;
  out.qty = o.qty;
  out.filled_qty = o.filled_qty;
  out.filled_quote = o.filled_quote;
  out.price = o.price;
  out.updated = o.updated;
  return out;
}

rc::VenueTrade ToReconTrade(const Fill& f) {
  rc::VenueTrade t;
  t.venue_trade_id = f.venue_trade_id;
  t.venue_order_id = f.venue_order_id;
  t.client_order_id = f.client_order_id;
  t.fill_id = f.fill_id;
  t.side = f.side;
  t.price = f.price;
  t.qty = f.qty;
  t.fee = f.fee;
  t.fee_asset = f.fee_asset;
  t.liquidity = f.liquidity;
  t.time = f.time;
  return t;
}

void VenueReader::Fail(rc::VenueSnapshot& snapshot, std::string what, const absl::Status& error) {
  snapshot.complete = false;
  snapshot.incomplete_reason = StrCat(what, ": ", ToStd(error.message()));
  if (std::optional<execution::VenueError> e = execution::GetVenueError(error);
      e.has_value() && e->reason == execution::VenueErrorReason::kRateLimited) {
    retry_after_ms_ = std::max<int64_t>(e->retry_after_ms, 1000);
  }
}

rc::VenueSnapshot VenueReader::Read(Timestamp as_of,
                                    std::map<InstrumentIndex, uint64_t> after_trade_id,
                                    bool balances) {
  retry_after_ms_ = 0;
  rc::VenueSnapshot snapshot;
  snapshot.as_of = as_of;
  snapshot.complete = true;
  ++requests_;
  absl::StatusOr<std::vector<execution::VenueOrder>> open = venue_.OpenOrders(std::nullopt);
  if (!open.ok()) {
    Fail(snapshot, "open orders", open.status());
    return snapshot;
  }
  for (const execution::VenueOrder& o : *open) {
    snapshot.open_orders.push_back(ToReconOrder(o));
    after_trade_id.try_emplace(o.instrument, 0);  // its trades tell whether it filled
  }
  // open_orders_scope stays empty: the list covers every instrument.
  for (const auto& [instrument, after] : after_trade_id) {
    rc::VenueTradeWindow window;
    window.instrument = instrument;
    window.checkpoint.after_trade_id = after;
    execution::FillCheckpoint next{after};
    bool complete = false;
    for (int page = 0; page < kMaxTradePages; ++page) {
      ++requests_;
      absl::StatusOr<execution::FillPage> got = venue_.FillsSince(instrument, next, kTradePageSize);
      if (!got.ok()) {
        Fail(snapshot, StrCat("trades of ", instruments_.at(instrument).id.ToString()),
             got.status());
        return snapshot;
      }
      for (const Fill& f : got->fills) window.trades.push_back(ToReconTrade(f));
      next = got->next;
      if (!got->more) {
        complete = true;
        break;
      }
    }
    if (!complete) {
      snapshot.complete = false;
      snapshot.incomplete_reason =
          StrCat("trades of ", instruments_.at(instrument).id.ToString(), ": more than ",
                 kMaxTradePages * kTradePageSize, " since trade ", after, " (page limit)");
      return snapshot;
    }
    snapshot.trade_windows.push_back(std::move(window));
  }
  if (balances) {
    ++requests_;
    absl::StatusOr<std::vector<execution::VenueBalance>> listed = venue_.Balances();
    if (!listed.ok()) {
      Fail(snapshot, "balances", listed.status());
      return snapshot;
    }
    snapshot.balances_listed = true;
    for (const execution::VenueBalance& b : *listed) {
      snapshot.balances.push_back({.asset = b.asset, .free = b.free, .locked = b.locked});
    }
  }
  return snapshot;
}

void VenueReader::LookUp(const std::vector<rc::OurOrder>& orders, rc::VenueSnapshot& snapshot) {
  for (const rc::OurOrder& o : orders) {
    if (!snapshot.complete) return;
    ++requests_;
    absl::StatusOr<execution::VenueOrder> v = venue_.QueryOrder(o.instrument, o.client_order_id);
    rc::VenueOrderLookup lookup;
    lookup.client_order_id = o.client_order_id;
    lookup.instrument = o.instrument;
    if (v.ok()) {
      lookup.found = true;
      lookup.order = ToReconOrder(*v);
    } else {
      std::optional<execution::VenueError> e = execution::GetVenueError(v.status());
      if (!e.has_value() || e->reason != execution::VenueErrorReason::kUnknownOrder) {
        Fail(snapshot, StrCat("order lookup ", o.client_order_id), v.status());
        return;
      }
      lookup.found = false;
    }
    snapshot.lookups.push_back(std::move(lookup));
  }
}

}  // namespace tradeplane::reconciler
