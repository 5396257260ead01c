#include "tradeplane/marketdata/binance_book_sync.h"

#include <utility>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::marketdata {

std::string_view BookSyncStateName(BookSyncState state) {
  switch (state) {
    case BookSyncState::kAwaitingSnapshot:
      return "awaiting_snapshot";
    case BookSyncState::kSynced:
      return "synced";
    case BookSyncState::kNeedsResync:
      return "needs_resync";
  }
  return "unknown";
}

BinanceBookSync::BinanceBookSync(BinanceBookSyncOptions options)
    : options_(std::move(options)), book_(options_.book) {}

absl::Status BinanceBookSync::Gap(std::string reason) {
  state_ = BookSyncState::kNeedsResync;
  book_.MarkNeedsResync();
  ++counters_.resyncs;
  return absl::DataLossError(StrCat(options_.symbol.empty() ? "" : options_.symbol,
                                    options_.symbol.empty() ? "" : ": ", reason,
                                    "; fetch a new snapshot"));
}

void BinanceBookSync::Buffer(const BinanceDepthUpdate& update) {
  if (buffer_.size() >= options_.max_buffered_updates && !buffer_.empty()) {
    buffer_.pop_front();
    ++counters_.buffer_overflows;
  }
  buffer_.push_back(update);
  ++counters_.buffered;
}

absl::StatusOr<SyncAction> BinanceBookSync::OnDepthUpdate(const BinanceDepthUpdate& update) {
  if (!options_.symbol.empty() && update.symbol != options_.symbol) {
    return absl::InvalidArgumentError(
        StrCat("depth update for ", update.symbol, " given to the book of ", options_.symbol));
  }
  if (IsFutures() && !update.has_previous_final_update_id) {
    return absl::InvalidArgumentError(
        StrCat("futures depth update ", update.final_update_id, " has no pu"));
  }
  if (state_ != BookSyncState::kSynced) {
    Buffer(update);
    return SyncAction::kBuffered;
  }
  absl::StatusOr<SyncAction> action = Process(update);
  if (!action.ok() && state_ == BookSyncState::kNeedsResync) Buffer(update);
  return action;
}

// Joins or continues the chain of updates; the book is synced.
absl::StatusOr<SyncAction> BinanceBookSync::Process(const BinanceDepthUpdate& u) {
  const uint64_t last = last_update_id_;
  if (awaiting_first_update_) {
    const uint64_t id = snapshot_update_id_;
    bool contained = IsFutures() ? u.final_update_id < id : u.final_update_id <= id;
    if (contained) {
      ++counters_.dropped;
      return SyncAction::kDropped;
    }
    // u is past the snapshot; the update must also start at or before it.
    bool joins = IsFutures() ? u.first_update_id <= id : u.first_update_id <= id + 1;
    if (!joins) {
      return Gap(StrCat("the first update after the snapshot (lastUpdateId ", id, ") starts at U ",
                        u.first_update_id, ", past ",
                        IsFutures() ? "lastUpdateId" : "lastUpdateId + 1",
                        ": updates in between are missing"));
    }
  } else {
    if (u.final_update_id <= last) {
      ++counters_.stale;
      return absl::OutOfRangeError(StrCat("depth update u ", u.final_update_id,
                                          " is not after the applied u ", last,
                                          " (sequence went backwards or repeated): ignored"));
    }
    if (IsFutures() ? u.previous_final_update_id != last : u.first_update_id != last + 1) {
      return Gap(IsFutures() ? StrCat("depth update pu ", u.previous_final_update_id,
                                      " is not the previous u ", last)
                             : StrCat("depth update U ", u.first_update_id,
                                      " is not the previous u + 1 = ", last + 1));
    }
  }
  BookUpdate delta{
      .previous_sequence = book_.sequence(),
      .sequence = book_.sequence() + 1,
      .bids = u.bids,
      .asks = u.asks,
      .exchange_time = u.transaction_time.is_zero() ? u.event_time : u.transaction_time};
  if (absl::Status s = book_.ApplyDelta(delta); !s.ok()) {
    return Gap(StrCat("the book refused update ", u.first_update_id, "-", u.final_update_id, ": ",
                      ToStd(s.message())));
  }
  awaiting_first_update_ = false;
  last_update_id_ = u.final_update_id;
  ++counters_.applied;
  return SyncAction::kApplied;
}

absl::Status BinanceBookSync::OnSnapshot(const BinanceDepthSnapshot& snapshot) {
  if (!options_.symbol.empty() && snapshot.symbol != options_.symbol) {
    return absl::InvalidArgumentError(
        StrCat("depth snapshot for ", snapshot.symbol, " given to the book of ", options_.symbol));
  }
  Timestamp time =
      snapshot.transaction_time.is_zero() ? snapshot.event_time : snapshot.transaction_time;
  if (absl::Status s = book_.ApplySnapshot(0, snapshot.bids, snapshot.asks, time); !s.ok()) {
    state_ = BookSyncState::kNeedsResync;
    ++counters_.resyncs;
    return s;
  }
  ++counters_.snapshots;
  state_ = BookSyncState::kSynced;
  awaiting_first_update_ = true;
  snapshot_update_id_ = snapshot.last_update_id;
  last_update_id_ = snapshot.last_update_id;
  while (!buffer_.empty()) {
    absl::StatusOr<SyncAction> action = Process(buffer_.front());
    if (!action.ok()) {
      if (state_ == BookSyncState::kNeedsResync) return action.status();  // keep the rest
      // A repeat inside the buffer: ignore it like a live one.
    }
    buffer_.pop_front();
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::marketdata
