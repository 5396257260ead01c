#include "tradeplane/marketdata/order_book.h"

#include <algorithm>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::marketdata {
namespace {

using fixed_point::Int128;

// Reserved up front; a deeper book grows once and then stays allocation-free.
constexpr size_t kInitialReserve = 1024;

// Whether `a` is a better price than `b` for resting orders on `side`.
bool Better(BookSide side, Price a, Price b) { return side == BookSide::kBid ? a > b : a < b; }

// Index of the first stored level (worst first) that is not worse than `price`.
size_t LowerBound(const std::vector<BookLevel>& levels, BookSide side, Price price) {
  auto it = std::lower_bound(
      levels.begin(), levels.end(), price,
      [side](const BookLevel& level, Price p) { return Better(side, p, level.price); });
  return static_cast<size_t>(it - levels.begin());
}

std::string Describe(BookSide side, size_t index, const BookLevel& level) {
  return StrCat(BookSideName(side), " level ", index, " (price ", level.price.ToString(),
                ", quantity ", level.qty.ToString(), ")");
}

}  // namespace

std::string_view BookSideName(BookSide side) { return side == BookSide::kBid ? "bid" : "ask"; }

std::string_view BookFaultName(BookFault fault) {
  switch (fault) {
    case BookFault::kNone:
      return "none";
    case BookFault::kNotSynced:
      return "not_synced";
    case BookFault::kSequenceGap:
      return "sequence_gap";
    case BookFault::kStaleSequence:
      return "stale_sequence";
    case BookFault::kNegativeSize:
      return "negative_size";
    case BookFault::kNonPositivePrice:
      return "non_positive_price";
    case BookFault::kOffTick:
      return "off_tick";
    case BookFault::kDuplicateLevel:
      return "duplicate_level";
    case BookFault::kCrossed:
      return "crossed";
    case BookFault::kLocked:
      return "locked";
  }
  return "unknown";
}

OrderBook::OrderBook(const OrderBookOptions& options) : options_(options) {
  if (options_.max_depth == 0) options_.max_depth = 1;
  size_t reserve = std::min(options_.max_depth, kInitialReserve);
  bids_.reserve(reserve);
  asks_.reserve(reserve);
}

absl::Status OrderBook::Fault(BookFault fault, absl::Status status) {
  last_fault_ = fault;
  if (fault != BookFault::kStaleSequence) state_ = BookState::kNeedsResync;
  return status;
}

absl::Status OrderBook::CheckLevel(BookSide side, size_t index, const BookLevel& level) {
  if (level.qty.is_negative()) {
    return Fault(
        BookFault::kNegativeSize,
        absl::InvalidArgumentError(StrCat(Describe(side, index, level), ": negative quantity")));
  }
  if (!level.price.is_positive()) {
    return Fault(BookFault::kNonPositivePrice,
                 absl::InvalidArgumentError(
                     StrCat(Describe(side, index, level), ": price must be positive")));
  }
  if (options_.tick_size.is_positive() && !level.price.IsMultipleOf(options_.tick_size)) {
    return Fault(BookFault::kOffTick,
                 absl::InvalidArgumentError(StrCat(Describe(side, index, level),
                                                   ": price is not a multiple of the tick ",
                                                   options_.tick_size.ToString())));
  }
  return absl::OkStatus();
}

absl::Status OrderBook::CheckNotCrossed() {
  if (bids_.empty() || asks_.empty()) return absl::OkStatus();
  Price bid = bids_.back().price;
  Price ask = asks_.back().price;
  if (bid > ask) {
    return Fault(BookFault::kCrossed, absl::DataLossError(StrCat(
                                          "book crossed: best bid ", bid.ToString(), " > best ask ",
                                          ask.ToString(), " at sequence ", sequence_, "; resync")));
  }
  if (bid == ask && !options_.allow_locked) {
    return Fault(BookFault::kLocked,
                 absl::DataLossError(StrCat("book locked: best bid == best ask ", bid.ToString(),
                                            " at sequence ", sequence_, "; resync")));
  }
  return absl::OkStatus();
}

absl::Status OrderBook::ApplySnapshot(uint64_t sequence, std::span<const BookLevel> bids,
                                      std::span<const BookLevel> asks, Timestamp exchange_time) {
  bids_.clear();
  asks_.clear();
  sequence_ = sequence;
  exchange_time_ = exchange_time;
  for (BookSide side : {BookSide::kBid, BookSide::kAsk}) {
    std::span<const BookLevel> input = side == BookSide::kBid ? bids : asks;
    std::vector<BookLevel>& levels = Levels(side);
    for (size_t i = 0; i < input.size(); ++i) {
      if (absl::Status s = CheckLevel(side, i, input[i]); !s.ok()) {
        bids_.clear();
        asks_.clear();
        return absl::Status(s.code(), StrCat("snapshot ", ToStd(s.message())));
      }
      if (input[i].qty.is_positive()) levels.push_back(input[i]);
    }
    std::sort(levels.begin(), levels.end(), [side](const BookLevel& a, const BookLevel& b) {
      return Better(side, b.price, a.price);
    });
    auto dup = std::adjacent_find(
        levels.begin(), levels.end(),
        [](const BookLevel& a, const BookLevel& b) { return a.price == b.price; });
    if (dup != levels.end()) {
      std::string price = dup->price.ToString();
      bids_.clear();
      asks_.clear();
      return Fault(BookFault::kDuplicateLevel,
                   absl::InvalidArgumentError(
                       StrCat("snapshot has ", BookSideName(side), " price ", price, " twice")));
    }
    if (levels.size() > options_.max_depth) {
      levels.erase(levels.begin(),
                   levels.begin() + static_cast<ptrdiff_t>(levels.size() - options_.max_depth));
    }
  }
  if (absl::Status s = CheckNotCrossed(); !s.ok()) {
    bids_.clear();
    asks_.clear();
    return absl::Status(s.code(), StrCat("snapshot refused: ", ToStd(s.message())));
  }
  state_ = BookState::kSynced;
  last_fault_ = BookFault::kNone;
  return absl::OkStatus();
}

void OrderBook::SetLevel(BookSide side, BookLevel level) {
  std::vector<BookLevel>& levels = Levels(side);
  size_t i = LowerBound(levels, side, level.price);
  bool found = i < levels.size() && levels[i].price == level.price;
  if (level.qty.is_zero()) {
    if (found) levels.erase(levels.begin() + static_cast<ptrdiff_t>(i));
    return;
  }
  if (found) {
    levels[i].qty = level.qty;
    return;
  }
  if (levels.size() < options_.max_depth) {
    levels.insert(levels.begin() + static_cast<ptrdiff_t>(i), level);
    return;
  }
  // Full side: a level worse than every kept one is beyond the depth (dropped);
  // otherwise the worst kept level makes room (shift the worse ones down by one).
  if (i == 0) return;
  std::move(levels.begin() + 1, levels.begin() + static_cast<ptrdiff_t>(i), levels.begin());
  levels[i - 1] = level;
}

absl::Status OrderBook::ApplyDelta(const BookUpdate& update) {
  if (state_ != BookState::kSynced) {
    last_fault_ = BookFault::kNotSynced;
    return absl::FailedPreconditionError(
        StrCat("book delta ", update.sequence, " refused: the book ",
               state_ == BookState::kEmpty ? "has no snapshot yet" : "awaits a resync snapshot"));
  }
  if (update.sequence <= sequence_) {
    return Fault(BookFault::kStaleSequence,
                 absl::AlreadyExistsError(
                     StrCat("book delta ", update.sequence, " is not after the book's sequence ",
                            sequence_, " (sequence went backwards or repeated): ignored")));
  }
  if (update.previous_sequence != sequence_) {
    return Fault(BookFault::kSequenceGap,
                 absl::DataLossError(
                     StrCat("book delta ", update.sequence, " follows ", update.previous_sequence,
                            " but the book is at sequence ", sequence_, ": gap; resync")));
  }
  for (BookSide side : {BookSide::kBid, BookSide::kAsk}) {
    std::span<const BookLevel> input = side == BookSide::kBid ? update.bids : update.asks;
    for (size_t i = 0; i < input.size(); ++i) {
      if (absl::Status s = CheckLevel(side, i, input[i]); !s.ok()) {
        return absl::Status(s.code(), StrCat("book delta ", update.sequence,
                                             " refused: ", ToStd(s.message()), "; resync"));
      }
    }
  }
  for (const BookLevel& level : update.bids) SetLevel(BookSide::kBid, level);
  for (const BookLevel& level : update.asks) SetLevel(BookSide::kAsk, level);
  sequence_ = update.sequence;
  exchange_time_ = update.exchange_time;
  last_fault_ = BookFault::kNone;
  return CheckNotCrossed();
}

void OrderBook::MarkNeedsResync() {
  state_ = BookState::kNeedsResync;
  last_fault_ = BookFault::kNotSynced;
}

std::optional<BookLevel> OrderBook::BestBid() const {
  if (bids_.empty()) return std::nullopt;
  return bids_.back();
}

std::optional<BookLevel> OrderBook::BestAsk() const {
  if (asks_.empty()) return std::nullopt;
  return asks_.back();
}

std::optional<Price> OrderBook::Mid() const {
  if (bids_.empty() || asks_.empty()) return std::nullopt;
  Int128 sum = static_cast<Int128>(bids_.back().price.raw()) + asks_.back().price.raw();
  // Both prices are positive and in range, so half their sum is too.
  return Price::FromRaw(*fixed_point::DivideRounded(sum, 2, Rounding::kHalfEven));
}

std::optional<Price> OrderBook::Spread() const {
  if (bids_.empty() || asks_.empty()) return std::nullopt;
  return Price::FromRaw(asks_.back().price.raw() - bids_.back().price.raw());
}

BookLevel OrderBook::Level(BookSide side, size_t index) const {
  const std::vector<BookLevel>& levels = Levels(side);
  return levels[levels.size() - 1 - index];
}

Quantity OrderBook::QuantityAt(BookSide side, Price price) const {
  const std::vector<BookLevel>& levels = Levels(side);
  size_t i = LowerBound(levels, side, price);
  if (i < levels.size() && levels[i].price == price) return levels[i].qty;
  return Quantity::Zero();
}

size_t OrderBook::LevelsAtOrBetter(BookSide side, Price price) const {
  const std::vector<BookLevel>& levels = Levels(side);
  return levels.size() - LowerBound(levels, side, price);
}

size_t OrderBook::TopLevels(BookSide side, std::span<BookLevel> out) const {
  const std::vector<BookLevel>& levels = Levels(side);
  size_t n = std::min(out.size(), levels.size());
  std::copy_n(levels.rbegin(), n, out.begin());
  return n;
}

BookView OrderBook::View(size_t max_levels) {
  view_bids_.resize(std::min(max_levels, bids_.size()));
  view_asks_.resize(std::min(max_levels, asks_.size()));
  TopLevels(BookSide::kBid, view_bids_);
  TopLevels(BookSide::kAsk, view_asks_);
  BookView view;
  view.instrument = options_.instrument;
  view.bids = view_bids_;
  view.asks = view_asks_;
  view.sequence = sequence_;
  view.exchange_time = exchange_time_;
  return view;
}

absl::StatusOr<Quantity> OrderBook::QuantityUpTo(BookSide side, Price limit) const {
  const std::vector<BookLevel>& levels = Levels(side);
  Int128 total = 0;
  for (size_t i = LowerBound(levels, side, limit); i < levels.size(); ++i) {
    total += levels[i].qty.raw();
  }
  if (total > fixed_point::kMaxRaw) {
    return absl::OutOfRangeError(StrCat("quantity on the ", BookSideName(side), " side up to ",
                                        limit.ToString(), " exceeds the fixed-point range"));
  }
  return Quantity::FromRaw(static_cast<int64_t>(total));
}

absl::StatusOr<FillEstimate> OrderBook::EstimateFill(BookSide side, Quantity qty,
                                                     Rounding average_rounding) const {
  if (!qty.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("fill estimate needs a positive quantity, got ", qty.ToString()));
  }
  const std::vector<BookLevel>& levels = Levels(side);
  FillEstimate estimate;
  estimate.requested = qty;
  int64_t remaining = qty.raw();
  Int128 price_times_qty = 0;  // at 1e-18 scale
  for (auto it = levels.rbegin(); it != levels.rend() && remaining > 0; ++it) {
    int64_t take = std::min(remaining, it->qty.raw());
    price_times_qty += static_cast<Int128>(it->price.raw()) * take;
    remaining -= take;
    estimate.worst_price = it->price;
    ++estimate.levels_taken;
  }
  int64_t filled = qty.raw() - remaining;
  estimate.filled = Quantity::FromRaw(filled);
  estimate.complete = remaining == 0;
  if (filled == 0) return estimate;
  absl::StatusOr<int64_t> notional =
      fixed_point::DivideRounded(price_times_qty, kFixedPointScale, Rounding::kHalfEven);
  if (!notional.ok()) return notional.status();
  absl::StatusOr<int64_t> average =
      fixed_point::DivideRounded(price_times_qty, filled, average_rounding);
  if (!average.ok()) return average.status();
  estimate.notional = Amount::FromRaw(*notional);
  estimate.average_price = Price::FromRaw(*average);
  return estimate;
}

}  // namespace tradeplane::marketdata
