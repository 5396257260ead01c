#include "tradeplane/risk/position_ledger.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"
#include "raw_sum.h"

namespace tradeplane::risk {
namespace {

using fixed_point::Int128;

constexpr int64_t kNanosPerDay = int64_t{86'400} * 1'000'000'000;

absl::StatusOr<int64_t> ToValuation(int64_t raw, Price rate) {
  return fixed_point::MulRaw(raw, rate.raw(), Rounding::kHalfEven);
}

absl::StatusOr<Amount> Narrow(Int128 value, std::string_view what) {
  if (value > fixed_point::kMaxRaw || value < fixed_point::kMinRaw) {
    return absl::OutOfRangeError(StrCat(what, " is outside the fixed-point range"));
  }
  return Amount::FromRaw(static_cast<int64_t>(value));
}

bool Nontrivial(const PositionAccount& a) {
  return !a.flat() || !a.realized().is_zero() || !a.quote_fees().is_zero();
}

}  // namespace

PositionLedger::PositionLedger(const InstrumentTable* instruments, LedgerOptions options)
    : instruments_(instruments), options_(options), books_(instruments->size()) {
  for (size_t i = 0; i < books_.size(); ++i) {
    books_[i].quote_currency = instruments->at(static_cast<InstrumentIndex>(i)).quote_asset;
  }
}

void PositionLedger::SetValuation(ValuationConfig valuation) {
  valuation_ = std::move(valuation);
  for (size_t i = 0; i < books_.size(); ++i) {
    const std::string* configured =
        i < valuation_.quote_currencies.size() ? &valuation_.quote_currencies[i] : nullptr;
    books_[i].quote_currency = configured != nullptr && !configured->empty()
                                   ? *configured
                                   : instruments_->at(static_cast<InstrumentIndex>(i)).quote_asset;
    Revalue(static_cast<InstrumentIndex>(i));
  }
  RevalueOtherFees();
}

void PositionLedger::SetStartingEquity(Amount equity) { starting_equity_ = equity; }

std::optional<Price> PositionLedger::RateFor(std::string_view currency) const {
  if (currency.empty()) return std::nullopt;
  if (currency == valuation_.currency) return Price::FromRaw(kFixedPointScale);
  auto it = valuation_.rates.find(currency);
  if (it == valuation_.rates.end()) return std::nullopt;
  return it->second;
}

void PositionLedger::Revalue(InstrumentIndex instrument) {
  InstrumentBook& b = books_[instrument];
  if (b.value_state == ValueState::kOk) {
    realized_total_ -= b.realized_value;
    unrealized_total_ -= b.unrealized_value;
    fees_total_ -= b.fees_value;
  } else {
    --unvalued_count_;
  }
  b.realized_value = b.unrealized_value = b.fees_value = 0;
  b.value_state = ValueState::kOk;
  const PositionAccount& a = b.total.account;
  if (Nontrivial(a)) {
    std::optional<Price> rate = RateFor(b.quote_currency);
    if (!rate.has_value()) {
      b.value_state = ValueState::kNoRate;
    } else if (!a.flat() && !b.mark.has_value()) {
      b.value_state = ValueState::kNoMark;
    } else {
      absl::StatusOr<Amount> unrealized = a.flat() ? Amount::Zero() : a.Unrealized(*b.mark);
      absl::StatusOr<int64_t> rv = ToValuation(a.realized().raw(), *rate);
      absl::StatusOr<int64_t> fv = ToValuation(a.quote_fees().raw(), *rate);
      absl::StatusOr<int64_t> uv =
          unrealized.ok() ? ToValuation(unrealized->raw(), *rate) : unrealized.status();
      if (rv.ok() && fv.ok() && uv.ok()) {
        b.realized_value = *rv;
        b.unrealized_value = *uv;
        b.fees_value = *fv;
      } else {
        b.value_state = ValueState::kOverflow;
      }
    }
  }
  if (b.value_state == ValueState::kOk) {
    realized_total_ += b.realized_value;
    unrealized_total_ += b.unrealized_value;
    fees_total_ += b.fees_value;
  } else {
    ++unvalued_count_;
  }
}

void PositionLedger::RevalueOtherFees() {
  other_fees_value_ = 0;
  other_fees_error_.clear();
  for (const auto& [asset, fee] : other_fees_) {
    std::optional<Price> rate = RateFor(asset);
    if (!rate.has_value()) {
      other_fees_error_ = StrCat("no conversion rate from the fee asset ", asset,
                                 " to the valuation currency ", valuation_.currency);
      return;
    }
    absl::StatusOr<int64_t> value = ToValuation(fee.raw(), *rate);
    if (!value.ok()) {
      other_fees_error_ = StrCat("fees in ", asset, " overflow in the valuation currency");
      return;
    }
    other_fees_value_ += *value;
  }
}

absl::Status PositionLedger::ValuationError() const {
  for (size_t i = 0; i < books_.size(); ++i) {
    const InstrumentBook& b = books_[i];
    std::string name = instruments_->at(static_cast<InstrumentIndex>(i)).id.ToString();
    switch (b.value_state) {
      case ValueState::kOk:
        break;
      case ValueState::kNoRate:
        return absl::NotFoundError(
            StrCat("no conversion rate from ",
                   b.quote_currency.empty() ? "(no quote currency)" : b.quote_currency, " (", name,
                   ") to the valuation currency ", valuation_.currency));
      case ValueState::kNoMark:
        return absl::UnavailableError(StrCat("no mark price (mid) for ", name,
                                             ", which has a position of ",
                                             b.total.account.qty().ToString()));
      case ValueState::kOverflow:
        return absl::OutOfRangeError(
            StrCat("the PnL of ", name, " overflows in the valuation currency"));
    }
  }
  if (!other_fees_error_.empty()) return absl::NotFoundError(other_fees_error_);
  return absl::OkStatus();
}

absl::StatusOr<Amount> PositionLedger::Equity() const {
  if (unvalued_count_ > 0 || !other_fees_error_.empty()) return ValuationError();
  Int128 equity = static_cast<Int128>(starting_equity_.raw()) + realized_total_ +
                  unrealized_total_ - fees_total_ - other_fees_value_;
  return Narrow(equity, "equity");
}

int64_t PositionLedger::TradingDay(Timestamp t) const {
  int64_t shifted = t.nanos() - options_.day_start_offset.count();
  int64_t day = shifted / kNanosPerDay;
  if (shifted % kNanosPerDay < 0) --day;  // floor for times before the epoch
  return day;
}

absl::StatusOr<v1::PnlSummary> PositionLedger::Revalue(Timestamp now) {
  absl::StatusOr<Amount> equity = Equity();
  if (!equity.ok()) return equity.status();
  absl::StatusOr<Amount> realized = Narrow(realized_total_, "realized PnL");
  absl::StatusOr<Amount> unrealized = Narrow(unrealized_total_, "unrealized PnL");
  absl::StatusOr<Amount> fees = Narrow(fees_total_ + other_fees_value_, "fees");
  for (const auto* s : {&realized, &unrealized, &fees}) {
    if (!s->ok()) return s->status();
  }
  int64_t today = TradingDay(now);
  if (!day_started_) {
    day_started_ = true;
    day_ = today;
    day_start_equity_ = *equity;
    high_water_mark_ = *equity;
  } else if (today > day_) {
    // The day's opening equity: the last value seen before it began.
    day_ = today;
    day_start_equity_ = last_equity_;
  }
  if (*equity > high_water_mark_) high_water_mark_ = *equity;
  last_equity_ = *equity;

  v1::PnlSummary summary;
  summary.set_currency(valuation_.currency);
  summary.set_realized(realized->raw());
  summary.set_unrealized(unrealized->raw());
  summary.set_fees(fees->raw());
  summary.set_equity(equity->raw());
  summary.set_high_water_mark(high_water_mark_.raw());
  // Both in range and HWM >= equity: the difference fits when equity is not
  // hugely negative; computed in 128 bits and clamped to be safe.
  Int128 drawdown = static_cast<Int128>(high_water_mark_.raw()) - equity->raw();
  Int128 daily = static_cast<Int128>(equity->raw()) - day_start_equity_.raw();
  summary.set_drawdown(static_cast<int64_t>(std::min<Int128>(drawdown, fixed_point::kMaxRaw)));
  summary.set_daily_pnl(
      static_cast<int64_t>(std::clamp<Int128>(daily, fixed_point::kMinRaw, fixed_point::kMaxRaw)));
  summary.set_as_of_ns(now.nanos());
  return summary;
}

void PositionLedger::RestorePnl(const v1::PnlSummary& last) {
  day_started_ = true;
  day_ = TradingDay(Timestamp::FromNanos(last.as_of_ns()));
  high_water_mark_ = Amount::FromRaw(last.high_water_mark());
  last_equity_ = Amount::FromRaw(last.equity());
  Int128 start = static_cast<Int128>(last.equity()) - last.daily_pnl();
  day_start_equity_ = Amount::FromRaw(
      static_cast<int64_t>(std::clamp<Int128>(start, fixed_point::kMinRaw, fixed_point::kMaxRaw)));
}

absl::Status PositionLedger::RestorePosition(const v1::Position& position) {
  InstrumentId id = InstrumentId::FromProto(position.instrument());
  std::optional<InstrumentIndex> index = instruments_->Find(id);
  if (!index.has_value()) {
    return absl::NotFoundError(
        StrCat("position for ", id.ToString(), ": instrument is not in the instrument table"));
  }
  absl::StatusOr<PositionAccount> account = PositionAccount::Restore(
      Quantity::FromRaw(position.qty()), Price::FromRaw(position.avg_cost()),
      Amount::FromRaw(position.realized_pnl()), Amount::FromRaw(position.fees()));
  if (!account.ok()) {
    return absl::InvalidArgumentError(
        StrCat("position for ", id.ToString(), ": ", ToStd(account.status().message())));
  }
  InstrumentBook& b = books_[*index];
  PositionRecord& record =
      position.strategy_id().empty() ? b.total : b.by_strategy[position.strategy_id()];
  if (!record.fills.empty()) {
    return absl::FailedPreconditionError(
        StrCat("position for ", id.ToString(),
               position.strategy_id().empty() ? "" : StrCat(" (", position.strategy_id(), ")"),
               ": restored after fills were applied"));
  }
  record.seed = *account;
  record.account = *account;
  Revalue(*index);
  return absl::OkStatus();
}

const PositionAccount* PositionLedger::StrategyAccount(InstrumentIndex instrument,
                                                       std::string_view strategy) const {
  const auto& by_strategy = books_[instrument].by_strategy;
  auto it = by_strategy.find(strategy);
  return it == by_strategy.end() ? nullptr : &it->second.account;
}

absl::StatusOr<PositionAccount> PositionLedger::WithFill(const PositionRecord& record,
                                                         const LedgerFill& fill,
                                                         size_t* insert_at) {
  auto key = [](const LedgerFill& f) { return std::tie(f.time, f.fill_id); };
  auto it =
      std::upper_bound(record.fills.begin(), record.fills.end(), fill,
                       [&](const LedgerFill& a, const LedgerFill& b) { return key(a) < key(b); });
  *insert_at = static_cast<size_t>(it - record.fills.begin());
  auto apply = [](PositionAccount* account, const LedgerFill& f) -> absl::Status {
    absl::Status s = account->Apply(f.side, f.price, f.qty);
    if (s.ok() && !f.quote_fee.is_zero()) s = account->AddQuoteFee(f.quote_fee);
    if (!s.ok())
      return absl::Status(s.code(), StrCat("fill ", f.fill_id, ": ", ToStd(s.message())));
    return absl::OkStatus();
  };
  PositionAccount account = record.account;
  if (it == record.fills.end()) {
    absl::Status s = apply(&account, fill);
    if (!s.ok()) return s;
    return account;
  }
  // An older fill arrived late: replay the position from its seed in order.
  account = record.seed;
  for (size_t i = 0; i <= record.fills.size(); ++i) {
    const LedgerFill& f = i < *insert_at    ? record.fills[i]
                          : i == *insert_at ? fill
                                            : record.fills[i - 1];
    absl::Status s = apply(&account, f);
    if (!s.ok()) return s;
  }
  return account;
}

absl::StatusOr<FillOutcome> PositionLedger::ApplyFill(const Fill& fill) {
  if (fill.fill_id.empty()) return absl::InvalidArgumentError("fill without a fill_id");
  if (fill.instrument >= books_.size()) {
    return absl::InvalidArgumentError(StrCat("fill ", fill.fill_id, ": instrument index ",
                                             fill.instrument, " is not in the instrument table"));
  }
  FillFingerprint fingerprint{fill.instrument, fill.side, fill.price.raw(), fill.qty.raw()};
  if (auto seen = seen_fills_.find(fill.fill_id); seen != seen_fills_.end()) {
    if (seen->second == fingerprint) {
      ++duplicate_fills_;
      return FillOutcome::kDuplicate;
    }
    return absl::AlreadyExistsError(
        StrCat("fill ", fill.fill_id, " repeats an earlier fill_id with different content"));
  }
  const InstrumentSpec& spec = instruments_->at(fill.instrument);
  InstrumentBook& b = books_[fill.instrument];

  LedgerFill lf{fill.time, fill.fill_id, fill.side, fill.price, fill.qty, Amount::Zero()};
  bool other_fee = false;
  if (!fill.fee.is_zero()) {
    if (fill.fee_asset.empty()) {
      return absl::InvalidArgumentError(
          StrCat("fill ", fill.fill_id, ": fee ", fill.fee.ToString(), " without a fee_asset"));
    }
    if (fill.fee_asset == b.quote_currency) {
      lf.quote_fee = fill.fee;
    } else if (fill.fee_asset == spec.base_asset) {
      // A fee in the base asset is worth its quantity at the fill's price.
      absl::StatusOr<Amount> fee =
          Notional(fill.price, Quantity::FromRaw(fill.fee.raw()), Rounding::kHalfEven);
      if (!fee.ok()) {
        return absl::OutOfRangeError(
            StrCat("fill ", fill.fill_id, ": fee value: ", ToStd(fee.status().message())));
      }
      lf.quote_fee = *fee;
    } else {
      other_fee = true;
    }
  }
  std::optional<Amount> new_other_fee;
  if (other_fee) {
    auto it = other_fees_.find(fill.fee_asset);
    Amount before = it == other_fees_.end() ? Amount::Zero() : it->second;
    std::optional<int64_t> sum = SumRaw(before.raw(), fill.fee.raw());
    if (!sum.has_value()) {
      return absl::OutOfRangeError(StrCat("fill ", fill.fill_id, ": fees in ", fill.fee_asset,
                                          " are outside the fixed-point range"));
    }
    new_other_fee = Amount::FromRaw(*sum);
  }

  std::string_view strategy =
      fill.strategy_id.empty() ? kUnattributedStrategy : std::string_view(fill.strategy_id);
  static const PositionRecord kEmpty;
  auto strategy_it = b.by_strategy.find(strategy);
  const PositionRecord& strategy_record =
      strategy_it == b.by_strategy.end() ? kEmpty : strategy_it->second;

  size_t total_at = 0;
  size_t strategy_at = 0;
  absl::StatusOr<PositionAccount> total = WithFill(b.total, lf, &total_at);
  if (!total.ok()) return total.status();
  absl::StatusOr<PositionAccount> by_strategy = WithFill(strategy_record, lf, &strategy_at);
  if (!by_strategy.ok()) return by_strategy.status();

  // Commit: nothing below can fail.
  if (strategy_it == b.by_strategy.end()) {
    strategy_it = b.by_strategy.emplace(std::string(strategy), PositionRecord{}).first;
  }
  b.total.fills.insert(b.total.fills.begin() + static_cast<ptrdiff_t>(total_at), lf);
  b.total.account = *total;
  strategy_it->second.fills.insert(
      strategy_it->second.fills.begin() + static_cast<ptrdiff_t>(strategy_at), std::move(lf));
  strategy_it->second.account = *by_strategy;
  seen_fills_.emplace(fill.fill_id, fingerprint);
  if (new_other_fee.has_value()) {
    other_fees_[fill.fee_asset] = *new_other_fee;
    RevalueOtherFees();
  }
  Revalue(fill.instrument);
  return FillOutcome::kApplied;
}

void PositionLedger::SetMark(InstrumentIndex instrument, Price mark) {
  if (instrument >= books_.size() || !mark.is_positive()) return;
  books_[instrument].mark = mark;
  Revalue(instrument);
}

absl::StatusOr<std::vector<v1::PnlSummary>> PositionLedger::ByQuoteCurrency() const {
  struct Sums {
    Int128 realized = 0;
    Int128 unrealized = 0;
    Int128 fees = 0;
  };
  std::map<std::string, Sums> by_currency;
  for (size_t i = 0; i < books_.size(); ++i) {
    const InstrumentBook& b = books_[i];
    const PositionAccount& a = b.total.account;
    if (!Nontrivial(a)) continue;
    Sums& sums = by_currency[b.quote_currency];
    sums.realized += a.realized().raw();
    sums.fees += a.quote_fees().raw();
    if (a.flat()) continue;
    std::string name = instruments_->at(static_cast<InstrumentIndex>(i)).id.ToString();
    if (!b.mark.has_value()) {
      return absl::UnavailableError(StrCat("no mark price (mid) for ", name));
    }
    absl::StatusOr<Amount> unrealized = a.Unrealized(*b.mark);
    if (!unrealized.ok()) return unrealized.status();
    sums.unrealized += unrealized->raw();
  }
  std::vector<v1::PnlSummary> out;
  for (const auto& [currency, sums] : by_currency) {
    v1::PnlSummary& s = out.emplace_back();
    s.set_currency(currency);
    for (auto [value, setter] : {std::pair{sums.realized, &v1::PnlSummary::set_realized},
                                 std::pair{sums.unrealized, &v1::PnlSummary::set_unrealized},
                                 std::pair{sums.fees, &v1::PnlSummary::set_fees}}) {
      absl::StatusOr<Amount> narrow = Narrow(value, StrCat("PnL in ", currency));
      if (!narrow.ok()) return narrow.status();
      (s.*setter)(narrow->raw());
    }
  }
  return out;
}

std::vector<v1::Position> PositionLedger::Positions(bool by_strategy) const {
  std::vector<v1::Position> out;
  auto emit = [&](InstrumentIndex i, std::string_view strategy, const PositionAccount& a) {
    const InstrumentBook& b = books_[i];
    v1::Position& p = out.emplace_back();
    instruments_->at(i).id.ToProto(p.mutable_instrument());
    p.set_strategy_id(std::string(strategy));
    p.set_qty(a.qty().raw());
    p.set_avg_cost(a.AverageCost().raw());
    p.set_realized_pnl(a.realized().raw());
    p.set_fees(a.quote_fees().raw());
    p.set_quote_currency(b.quote_currency);
    if (b.mark.has_value()) {
      p.set_mark_price(b.mark->raw());
      absl::StatusOr<Amount> unrealized = a.Unrealized(*b.mark);
      if (unrealized.ok()) p.set_unrealized_pnl(unrealized->raw());
    }
  };
  for (size_t i = 0; i < books_.size(); ++i) {
    auto index = static_cast<InstrumentIndex>(i);
    const InstrumentBook& b = books_[i];
    if (!by_strategy) {
      if (Nontrivial(b.total.account)) emit(index, "", b.total.account);
      continue;
    }
    for (const auto& [strategy, record] : b.by_strategy) {
      if (Nontrivial(record.account)) emit(index, strategy, record.account);
    }
  }
  return out;
}

}  // namespace tradeplane::risk
