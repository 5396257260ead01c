#include "tradeplane/marketdata/lobster_book.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/us_eastern_time.h"

namespace tradeplane::marketdata {
namespace {

size_t Index(BookSide side) { return side == BookSide::kBid ? 0 : 1; }
BookSide Opposite(BookSide side) {
  return side == BookSide::kBid ? BookSide::kAsk : BookSide::kBid;
}
bool Better(BookSide side, Price a, Price b) { return side == BookSide::kBid ? a > b : a < b; }

std::string MessageText(const LobsterMessage& m) {
  return StrCat(LobsterEventTypeName(m.type), " of order ", m.order_id, " (",
                m.direction == common::v1::SIDE_BUY ? "buy" : "sell", " ", m.size.ToString(), " @ ",
                m.price.ToString(), ")");
}

}  // namespace

LobsterBook::LobsterBook(const LobsterBookOptions& options)
    : options_(options),
      book_(OrderBookOptions{.instrument = options.instrument,
                             .max_depth = options.max_depth,
                             .tick_size = options.tick_size,
                             .allow_locked = false}) {
  if (options_.file_levels == 0) options_.file_levels = 1;
  orders_.reserve(options_.expected_open_orders);
  bid_changes_.reserve(16);
  ask_changes_.reserve(16);
  (void)book_.ApplySnapshot(0, {}, {}, Timestamp());
  using std::chrono::hours;
  absl::StatusOr<bool> at_start = IsNewYorkDaylightTime(options_.date, Duration(0));
  absl::StatusOr<bool> at_end = IsNewYorkDaylightTime(options_.date, hours(24) - Duration(1));
  if (at_start.ok() && at_end.ok() && *at_start == *at_end) {
    single_offset_day_ = true;
    local_midnight_utc_ = *NewYorkLocalToUtc(options_.date, Duration(0));
  }
}

absl::Status LobsterBook::Seed(const LobsterBookRow& row) {
  orders_.clear();
  sequence_ = 0;
  last_time_ = Duration(0);
  halt_state_ = LobsterHaltState::kNone;
  absl::Status status = book_.ApplySnapshot(0, row.bids, row.asks, Timestamp());
  if (!status.ok()) {
    needs_resync_ = true;
    return status;
  }
  for (BookSide side : {BookSide::kBid, BookSide::kAsk}) {
    const std::vector<BookLevel>& levels = side == BookSide::kBid ? row.bids : row.asks;
    SideKnowledge& known = known_[Index(side)];
    if (levels.size() < row.levels) {
      known.knowledge = Knowledge::kWholeSide;
    } else {
      known.knowledge = Knowledge::kUpToBoundary;
      known.boundary = levels.back().price;
    }
    NarrowKnowledge(side);
  }
  needs_resync_ = false;
  return absl::OkStatus();
}

bool LobsterBook::IsKnown(BookSide side, Price price) const {
  const SideKnowledge& known = known_[Index(side)];
  switch (known.knowledge) {
    case Knowledge::kNothing:
      return false;
    case Knowledge::kWholeSide:
      return true;
    case Knowledge::kUpToBoundary:
      return !Better(side, known.boundary, price);
  }
  return false;
}

void LobsterBook::NarrowKnowledge(BookSide side) {
  SideKnowledge& known = known_[Index(side)];
  if (known.knowledge == Knowledge::kNothing) return;
  size_t count = known.knowledge == Knowledge::kWholeSide
                     ? book_.Depth(side)
                     : book_.LevelsAtOrBetter(side, known.boundary);
  if (count >= options_.file_levels) {
    known.knowledge = Knowledge::kUpToBoundary;
    known.boundary = book_.Level(side, options_.file_levels - 1).price;
  }
}

size_t LobsterBook::KnownLevels(BookSide side) const {
  const SideKnowledge& known = known_[Index(side)];
  switch (known.knowledge) {
    case Knowledge::kNothing:
      return 0;
    case Knowledge::kWholeSide:
      return book_.Depth(side);
    case Knowledge::kUpToBoundary:
      return book_.LevelsAtOrBetter(side, known.boundary);
  }
  return 0;
}

bool LobsterBook::IsSideComplete(BookSide side) const {
  return known_[Index(side)].knowledge == Knowledge::kWholeSide;
}

absl::StatusOr<Timestamp> LobsterBook::ToUtc(Duration time_after_midnight) const {
  if (single_offset_day_ && time_after_midnight >= Duration(0) &&
      time_after_midnight < std::chrono::hours(24)) {
    return local_midnight_utc_ + time_after_midnight;
  }
  return NewYorkLocalToUtc(options_.date, time_after_midnight);
}

absl::Status LobsterBook::Refuse(absl::Status status) {
  needs_resync_ = true;
  return status;
}

void LobsterBook::Change(BookSide side, Price price, Quantity qty) {
  (side == BookSide::kBid ? bid_changes_ : ask_changes_).push_back(BookLevel{price, qty});
}

// Removes the levels on `side` better than `price` (or equal, when
// `or_equal`): the message proves they no longer exist. Refused when one of
// them is in the known range, where the book cannot be wrong.
absl::Status LobsterBook::RemoveStaleLevels(BookSide side, Price price, bool or_equal,
                                            int64_t order_id) {
  for (size_t i = 0; i < book_.Depth(side); ++i) {
    Price level_price = book_.Level(side, i).price;
    if (!(Better(side, level_price, price) || (or_equal && level_price == price))) break;
    if (IsKnown(side, level_price)) {
      return absl::DataLossError(StrCat("order ", order_id, " at ", price.ToString(),
                                        " contradicts the known ", BookSideName(side), " level ",
                                        level_price.ToString(), " (it would ",
                                        or_equal ? "cross it" : "trade behind it", ")"));
    }
    Change(side, level_price, Quantity::Zero());
    ++counters_.stale_levels_removed;
  }
  return absl::OkStatus();
}

// Partial cancel, delete or visible execution. Checks everything before it
// changes the order map, so a refusal changes nothing.
absl::Status LobsterBook::Reduce(const LobsterMessage& m, BookSide side) {
  bool strict = IsKnown(side, m.price);
  int64_t level_qty = book_.QuantityAt(side, m.price).raw();
  int64_t amount = m.size.raw();
  auto it = orders_.find(m.order_id);
  if (it != orders_.end()) {
    const Order& order = it->second;
    if (order.side != side || order.price != m.price) {
      return absl::DataLossError(StrCat(MessageText(m), ": the order rests on the ",
                                        BookSideName(order.side), " side at ",
                                        order.price.ToString()));
    }
    int64_t remaining = order.remaining.raw();
    bool mismatch = m.type == LobsterEventType::kDelete ? amount != remaining : amount > remaining;
    if (mismatch) {
      if (strict) {
        return absl::DataLossError(
            StrCat(MessageText(m), ": the order has ", order.remaining.ToString(), " shares left"));
      }
      // Outside the window some of its events were not in the file: take
      // what the book counted for it.
      amount = m.type == LobsterEventType::kDelete ? remaining : std::min(amount, remaining);
    }
  }
  // An unknown order rested before the file started: in the known range its
  // size is part of the seeded level; outside it was never counted.
  if (amount > level_qty) {
    if (strict) {
      return absl::DataLossError(StrCat(MessageText(m), ": the known ", BookSideName(side),
                                        " level holds only ",
                                        Quantity::FromRaw(level_qty).ToString()));
    }
    amount = level_qty;
  }
  if (it != orders_.end()) {
    Order& order = it->second;
    int64_t left = m.type == LobsterEventType::kDelete
                       ? 0
                       : std::max<int64_t>(0, order.remaining.raw() - m.size.raw());
    if (left == 0) {
      orders_.erase(it);
    } else {
      order.remaining = Quantity::FromRaw(left);
    }
  } else {
    ++counters_.unknown_order_events;
  }
  if (!strict) ++counters_.events_outside_known;
  if (amount > 0) Change(side, m.price, Quantity::FromRaw(level_qty - amount));
  return absl::OkStatus();
}

absl::StatusOr<LobsterUpdate> LobsterBook::Apply(const LobsterMessage& m) {
  if (needs_resync_) {
    return absl::FailedPreconditionError(
        "LOBSTER book refused a message: an earlier message was refused; seed it again");
  }
  if (m.time_after_midnight < last_time_) {
    return Refuse(
        absl::OutOfRangeError(StrCat("LOBSTER message time ", m.time_after_midnight.count(),
                                     " ns after midnight is before the previous message's ",
                                     last_time_.count(), " ns (time went backwards)")));
  }
  absl::StatusOr<Timestamp> time = ToUtc(m.time_after_midnight);
  if (!time.ok()) return time.status();

  LobsterUpdate update;
  update.exchange_time = *time;
  bid_changes_.clear();
  ask_changes_.clear();
  BookSide side = m.direction == common::v1::SIDE_BUY ? BookSide::kBid : BookSide::kAsk;
  absl::Status status;
  switch (m.type) {
    case LobsterEventType::kSubmit: {
      if (orders_.contains(m.order_id)) {
        return Refuse(
            absl::DataLossError(StrCat(MessageText(m), ": the order id is already open")));
      }
      status = RemoveStaleLevels(Opposite(side), m.price, /*or_equal=*/true, m.order_id);
      if (!status.ok()) break;
      // Not Quantity::Add: its error text is built even on success.
      fixed_point::Int128 level =
          static_cast<fixed_point::Int128>(book_.QuantityAt(side, m.price).raw()) + m.size.raw();
      if (level > fixed_point::kMaxRaw) {
        status = absl::OutOfRangeError(StrCat(MessageText(m),
                                              ": the level's quantity leaves the "
                                              "fixed-point range"));
        break;
      }
      orders_.emplace(m.order_id, Order{side, m.price, m.size});
      Change(side, m.price, Quantity::FromRaw(static_cast<int64_t>(level)));
      break;
    }
    case LobsterEventType::kExecuteVisible:
      status = RemoveStaleLevels(side, m.price, /*or_equal=*/false, m.order_id);
      if (status.ok()) status = Reduce(m, side);
      break;
    case LobsterEventType::kPartialCancel:
    case LobsterEventType::kDelete:
      status = Reduce(m, side);
      break;
    case LobsterEventType::kExecuteHidden:
    case LobsterEventType::kCrossTrade:
      break;
    case LobsterEventType::kHalt:
      halt_state_ = m.halt;
      update.halt = m.halt;
      break;
  }
  if (!status.ok()) return Refuse(status);

  if (!bid_changes_.empty() || !ask_changes_.empty()) {
    BookUpdate delta{.previous_sequence = sequence_,
                     .sequence = sequence_ + 1,
                     .bids = bid_changes_,
                     .asks = ask_changes_,
                     .exchange_time = *time};
    absl::Status applied = book_.ApplyDelta(delta);
    if (!applied.ok()) {
      // The order map may already hold the message's effect; a new seed resets both.
      return Refuse(
          absl::Status(applied.code(), StrCat(MessageText(m), ": ", ToStd(applied.message()))));
    }
    ++sequence_;
    update.book_changed = true;
    update.bid_changes = bid_changes_;
    update.ask_changes = ask_changes_;
    NarrowKnowledge(BookSide::kBid);
    NarrowKnowledge(BookSide::kAsk);
  }

  if (m.type == LobsterEventType::kExecuteVisible || m.type == LobsterEventType::kExecuteHidden ||
      m.type == LobsterEventType::kCrossTrade) {
    update.has_trade = true;
    Trade& trade = update.trade;
    trade.instrument = options_.instrument;
    trade.price = m.price;
    trade.qty = m.size;
    trade.aggressor = m.type == LobsterEventType::kCrossTrade ? common::v1::SIDE_UNSPECIFIED
                      : m.direction == common::v1::SIDE_BUY   ? common::v1::SIDE_SELL
                                                              : common::v1::SIDE_BUY;
    trade.trade_id = ++counters_.trades;
    trade.exchange_time = *time;
    std::memcpy(trade.participant, m.mpid, sizeof(trade.participant));
  }
  ++counters_.messages;
  last_time_ = m.time_after_midnight;
  return update;
}

}  // namespace tradeplane::marketdata
