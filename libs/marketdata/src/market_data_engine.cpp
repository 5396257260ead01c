#include "tradeplane/marketdata/market_data_engine.h"

#include "tradeplane/core/str_cat.h"

namespace tradeplane::marketdata {

absl::StatusOr<std::unique_ptr<MarketDataEngine>> MarketDataEngine::Create(
    const InstrumentTable& instruments, MarketDataEngineOptions options,
    MarketDataListener& listener) {
  if (options.book_depth == 0) return absl::InvalidArgumentError("book_depth must be positive");
  if (options.snapshot_levels == 0) options.snapshot_levels = options.book_depth;
  std::unique_ptr<MarketDataEngine> engine(
      new MarketDataEngine(instruments, std::move(options), listener));
  engine->states_.resize(instruments.size());
  for (InstrumentIndex i = 0; i < instruments.size(); ++i) {
    const InstrumentSpec& spec = instruments.at(i);
    InstrumentState& s = engine->states_[i];
    OrderBookOptions book;
    book.instrument = i;
    book.max_depth = engine->options_.book_depth;
    book.tick_size = spec.tick_size;
    s.book = std::make_unique<OrderBook>(book);
    for (Duration interval : engine->options_.bar_intervals) {
      absl::StatusOr<BarAggregator> bars = BarAggregator::Create(
          {.instrument = i, .interval = interval, .tick_size = spec.tick_size});
      if (!bars.ok()) {
        return absl::InvalidArgumentError(
            StrCat("bar interval for ", spec.id.ToString(), ": ", ToStd(bars.status().message())));
      }
      s.bars.push_back(std::move(*bars));
    }
  }
  return engine;
}

absl::Status MarketDataEngine::Check(InstrumentIndex instrument) const {
  if (instrument >= states_.size()) {
    return absl::InvalidArgumentError(StrCat("unknown instrument index ", instrument));
  }
  return absl::OkStatus();
}

void MarketDataEngine::SetStatus(InstrumentIndex instrument, FeedStatus status,
                                 std::string_view reason, Timestamp now) {
  InstrumentState& s = states_[instrument];
  // RESYNCED is an event, not a state: the instrument is LIVE again.
  FeedStatus stored =
      status == marketdata::v1::FEED_STATUS_RESYNCED ? marketdata::v1::FEED_STATUS_LIVE : status;
  if (s.status == stored && status != marketdata::v1::FEED_STATUS_RESYNCED) return;
  s.status = stored;
  if (status == marketdata::v1::FEED_STATUS_STALE) ++counters_.stale_transitions;
  listener_.OnStatus(instrument, status, reason, s.last_update.is_zero() ? now : s.last_update);
}

void MarketDataEngine::Touch(InstrumentIndex instrument, Timestamp receive_time) {
  InstrumentState& s = states_[instrument];
  s.last_update = receive_time;
  if (s.status != marketdata::v1::FEED_STATUS_LIVE && !s.resyncing) {
    SetStatus(instrument, marketdata::v1::FEED_STATUS_LIVE, "updates arriving", receive_time);
  }
}

absl::Status MarketDataEngine::OnBookSnapshot(InstrumentIndex instrument,
                                              std::span<const BookLevel> bids,
                                              std::span<const BookLevel> asks,
                                              uint64_t venue_update_id, Timestamp exchange_time,
                                              Timestamp receive_time) {
  absl::Status valid = Check(instrument);
  if (!valid.ok()) return valid;
  InstrumentState& s = states_[instrument];
  absl::Status applied = s.book->ApplySnapshot(s.book_sequence, bids, asks, exchange_time);
  if (!applied.ok()) {
    s.resyncing = true;
    SetStatus(instrument, marketdata::v1::FEED_STATUS_RESYNCING,
              StrCat("snapshot refused: ", ToStd(applied.message())), receive_time);
    return applied;
  }
  ++counters_.snapshots;
  s.venue_update_id = venue_update_id;
  bool was_resyncing = s.resyncing;
  s.resyncing = false;
  s.last_update = receive_time;
  if (was_resyncing) {
    SetStatus(instrument, marketdata::v1::FEED_STATUS_RESYNCED, "book rebuilt from a snapshot",
              receive_time);
  } else if (s.status != marketdata::v1::FEED_STATUS_LIVE) {
    SetStatus(instrument, marketdata::v1::FEED_STATUS_LIVE, "book snapshot", receive_time);
  }
  PublishSnapshot(instrument);
  MaybeDerivedQuote(instrument, exchange_time, receive_time);
  return absl::OkStatus();
}

absl::Status MarketDataEngine::OnBookDelta(InstrumentIndex instrument,
                                           std::span<const BookLevel> bids,
                                           std::span<const BookLevel> asks,
                                           uint64_t venue_first_update_id,
                                           uint64_t venue_last_update_id, Timestamp exchange_time,
                                           Timestamp receive_time) {
  absl::Status valid = Check(instrument);
  if (!valid.ok()) return valid;
  InstrumentState& s = states_[instrument];
  BookUpdate update{.previous_sequence = s.book_sequence,
                    .sequence = s.book_sequence + 1,
                    .bids = bids,
                    .asks = asks,
                    .exchange_time = exchange_time};
  absl::Status applied = s.book->ApplyDelta(update);
  if (!applied.ok()) {
    ++counters_.refused_deltas;
    if (!s.resyncing) {
      s.resyncing = true;
      ++counters_.resyncs;
      SetStatus(instrument, marketdata::v1::FEED_STATUS_RESYNCING,
                StrCat("book update refused: ", ToStd(applied.message())), receive_time);
    }
    return applied;
  }
  ++s.book_sequence;
  ++counters_.deltas;
  s.venue_update_id = venue_last_update_id;
  Touch(instrument, receive_time);
  listener_.OnBookDelta(BookDelta{instrument, s.book_sequence, bids, asks, venue_first_update_id,
                                  venue_last_update_id, exchange_time, receive_time});
  MaybeDerivedQuote(instrument, exchange_time, receive_time);
  return absl::OkStatus();
}

void MarketDataEngine::OnSourceResync(InstrumentIndex instrument, std::string_view reason,
                                      Timestamp now) {
  if (!Check(instrument).ok()) return;
  InstrumentState& s = states_[instrument];
  s.book->MarkNeedsResync();
  if (!s.resyncing) {
    s.resyncing = true;
    ++counters_.resyncs;
    SetStatus(instrument, marketdata::v1::FEED_STATUS_RESYNCING, reason, now);
  }
}

void MarketDataEngine::MaybeDerivedQuote(InstrumentIndex instrument, Timestamp exchange_time,
                                         Timestamp receive_time) {
  InstrumentState& s = states_[instrument];
  if (s.explicit_quotes) return;
  std::optional<BookLevel> bid = s.book->BestBid();
  std::optional<BookLevel> ask = s.book->BestAsk();
  BookLevel b = bid.value_or(BookLevel{}), a = ask.value_or(BookLevel{});
  if (b.price == s.last_bid.price && b.qty == s.last_bid.qty && a.price == s.last_ask.price &&
      a.qty == s.last_ask.qty) {
    return;
  }
  s.last_bid = b;
  s.last_ask = a;
  ++counters_.quotes;
  listener_.OnQuote(Quote{instrument, b.price, b.qty, a.price, a.qty, exchange_time, receive_time});
}

absl::Status MarketDataEngine::OnQuote(const Quote& quote) {
  absl::Status valid = Check(quote.instrument);
  if (!valid.ok()) return valid;
  InstrumentState& s = states_[quote.instrument];
  if (quote.bid_qty.is_negative() || quote.ask_qty.is_negative() ||
      (quote.bid_price.is_positive() && quote.ask_price.is_positive() &&
       quote.bid_price > quote.ask_price)) {
    return absl::InvalidArgumentError(
        StrCat("quote for ", instruments_.at(quote.instrument).id.ToString(), " is crossed (bid ",
               quote.bid_price.ToString(), " > ask ", quote.ask_price.ToString(),
               ") or has a negative size"));
  }
  s.explicit_quotes = true;
  Touch(quote.instrument, quote.receive_time);
  ++counters_.quotes;
  listener_.OnQuote(quote);
  return absl::OkStatus();
}

absl::Status MarketDataEngine::OnTrade(const Trade& trade) {
  absl::Status valid = Check(trade.instrument);
  if (!valid.ok()) {
    ++counters_.refused_trades;
    return valid;
  }
  if (!trade.price.is_positive() || !trade.qty.is_positive()) {
    ++counters_.refused_trades;
    return absl::InvalidArgumentError(
        StrCat("trade for ", instruments_.at(trade.instrument).id.ToString(),
               " with non-positive price or size (", trade.price.ToString(), " x ",
               trade.qty.ToString(), ")"));
  }
  InstrumentState& s = states_[trade.instrument];
  Touch(trade.instrument, trade.receive_time.is_zero() ? trade.exchange_time : trade.receive_time);
  ++counters_.trades;
  listener_.OnTrade(trade);
  for (BarAggregator& bars : s.bars) {
    absl::StatusOr<std::optional<Bar>> closed = bars.OnTrade(trade);
    if (!closed.ok()) {
      // The trade is real and published; only its bar interval had closed.
      if (closed.status().code() == absl::StatusCode::kFailedPrecondition) ++counters_.late_trades;
      continue;
    }
    if (closed->has_value()) {
      ++counters_.bars;
      listener_.OnBar(**closed);
    }
  }
  return absl::OkStatus();
}

void MarketDataEngine::OnSourceStatus(InstrumentIndex instrument, FeedStatus status,
                                      std::string_view reason, Timestamp now) {
  if (!Check(instrument).ok()) return;
  SetStatus(instrument, status, reason, now);
}

void MarketDataEngine::OnTime(Timestamp now) {
  for (InstrumentIndex i = 0; i < states_.size(); ++i) {
    InstrumentState& s = states_[i];
    if (s.status == marketdata::v1::FEED_STATUS_LIVE && !s.last_update.is_zero() &&
        options_.stale_after.count() > 0 && now - s.last_update > options_.stale_after) {
      SetStatus(i, marketdata::v1::FEED_STATUS_STALE, "no update within the staleness limit", now);
    }
    for (BarAggregator& bars : s.bars) {
      if (std::optional<Bar> bar = bars.OnTime(now)) {
        ++counters_.bars;
        listener_.OnBar(*bar);
      }
    }
  }
  if (options_.snapshot_interval.count() > 0) {
    if (next_snapshot_.is_zero()) next_snapshot_ = now + options_.snapshot_interval;
    if (now >= next_snapshot_) {
      for (InstrumentIndex i = 0; i < states_.size(); ++i) {
        if (!states_[i].resyncing && states_[i].book->state() == BookState::kSynced) {
          PublishSnapshot(i);
        }
      }
      next_snapshot_ = now + options_.snapshot_interval;
    }
  }
}

bool MarketDataEngine::Snapshot(InstrumentIndex instrument, size_t levels, BookSnapshot* out) {
  if (!Check(instrument).ok()) return false;
  InstrumentState& s = states_[instrument];
  if (s.resyncing || s.book->state() != BookState::kSynced) return false;
  *out = BookSnapshot{instrument, s.book_sequence, s.book->View(levels), s.venue_update_id,
                      s.book->exchange_time()};
  return true;
}

void MarketDataEngine::PublishSnapshot(InstrumentIndex instrument) {
  BookSnapshot snapshot;
  if (Snapshot(instrument, options_.snapshot_levels, &snapshot)) {
    listener_.OnBookSnapshot(snapshot);
  }
}

}  // namespace tradeplane::marketdata
