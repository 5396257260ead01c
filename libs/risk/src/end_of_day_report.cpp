#include "tradeplane/risk/end_of_day_report.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/risk/position_account.h"

#include "absl/status/status.h"

namespace tradeplane::risk {
namespace {

using fixed_point::Int128;

constexpr int64_t kNanosPerDay = int64_t{86'400} * 1'000'000'000;

std::string DateText(CivilDate d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(d.year), d.month,
                d.day);
  return buf;
}

// What makes two fills with one fill_id the same fill.
struct FillKey {
  InstrumentIndex instrument;
  Side side;
  int64_t price;
  int64_t qty;
  friend bool operator==(const FillKey&, const FillKey&) = default;
};

struct Work {
  InstrumentStatement statement;
  PositionAccount account;
};

absl::Status AddTo(Amount* total, Amount value, std::string_view what) {
  absl::StatusOr<Amount> sum = total->Add(value);
  if (!sum.ok()) return absl::OutOfRangeError(StrCat(what, ": ", ToStd(sum.status().message())));
  *total = *sum;
  return absl::OkStatus();
}

absl::Status AddTo(Quantity* total, Quantity value, std::string_view what) {
  absl::StatusOr<Quantity> sum = total->Add(value);
  if (!sum.ok()) return absl::OutOfRangeError(StrCat(what, ": ", ToStd(sum.status().message())));
  *total = *sum;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<EndOfDayReport> BuildEndOfDayReport(const EndOfDayInputs& inputs,
                                                   const InstrumentTable& instruments) {
  EndOfDayReport report;
  report.date = inputs.date;
  int64_t day = DaysFromCivil(inputs.date.year, inputs.date.month, inputs.date.day);
  report.from = Timestamp::FromNanos(day * kNanosPerDay) + inputs.day_start_offset;
  report.to = report.from + Duration(kNanosPerDay);

  std::map<InstrumentIndex, Work> work;
  auto work_for = [&](InstrumentIndex index) -> Work& {
    auto [it, inserted] = work.try_emplace(index);
    if (inserted) {
      const InstrumentSpec& spec = instruments.at(index);
      it->second.statement.instrument = index;
      it->second.statement.id = spec.id;
      it->second.statement.quote_currency = spec.quote_asset;
    }
    return it->second;
  };

  for (const v1::Position& p : inputs.opening_positions) {
    InstrumentId id = InstrumentId::FromProto(p.instrument());
    if (!p.strategy_id().empty()) {
      return absl::InvalidArgumentError(
          StrCat("opening position ", id.ToString(), " is for strategy ", p.strategy_id(),
                 ": the statement takes instrument-level positions (empty strategy_id)"));
    }
    std::optional<InstrumentIndex> index = instruments.Find(id);
    if (!index.has_value()) {
      return absl::NotFoundError(StrCat("opening position ", id.ToString(),
                                        ": instrument is not in the instrument table"));
    }
    if (work.count(*index) > 0) {
      return absl::InvalidArgumentError(
          StrCat("opening position ", id.ToString(), " is given twice"));
    }
    // The day starts with no realized PnL and no fees: the position and its
    // average cost carry in.
    absl::StatusOr<PositionAccount> account = PositionAccount::Restore(
        Quantity::FromRaw(p.qty()), Price::FromRaw(p.avg_cost()), Amount::Zero(), Amount::Zero());
    if (!account.ok()) {
      return absl::InvalidArgumentError(
          StrCat("opening position ", id.ToString(), ": ", ToStd(account.status().message())));
    }
    Work& w = work_for(*index);
    if (!p.quote_currency().empty()) w.statement.quote_currency = p.quote_currency();
    w.account = *account;
    w.statement.opening_qty = account->qty();
    w.statement.opening_avg_cost = account->AverageCost();
  }

  // The day's fills, deduplicated, in (time, fill_id) order.
  std::unordered_map<std::string, FillKey> seen;
  std::vector<const Fill*> day_fills;
  for (const Fill& f : inputs.fills) {
    if (f.instrument >= instruments.size()) {
      return absl::InvalidArgumentError(StrCat("fill ", f.fill_id, ": instrument index ",
                                               f.instrument, " is not in the instrument table"));
    }
    FillKey key{f.instrument, f.side, f.price.raw(), f.qty.raw()};
    auto [it, inserted] = seen.emplace(f.fill_id, key);
    if (!inserted) {
      if (!(it->second == key)) {
        return absl::AlreadyExistsError(
            StrCat("fill ", f.fill_id, " repeats an earlier fill_id with different content"));
      }
      ++report.duplicate_fills;
      continue;
    }
    if (f.time < report.from || f.time >= report.to) {
      ++report.fills_outside_day;
      continue;
    }
    day_fills.push_back(&f);
  }
  std::sort(day_fills.begin(), day_fills.end(), [](const Fill* a, const Fill* b) {
    return std::tie(a->time, a->fill_id) < std::tie(b->time, b->fill_id);
  });

  for (const Fill* f : day_fills) {
    Work& w = work_for(f->instrument);
    InstrumentStatement& s = w.statement;
    const InstrumentSpec& spec = instruments.at(f->instrument);
    absl::Status applied = w.account.Apply(f->side, f->price, f->qty);
    if (!applied.ok()) {
      return absl::Status(applied.code(),
                          StrCat("fill ", f->fill_id, ": ", ToStd(applied.message())));
    }
    absl::StatusOr<Amount> notional = Notional(f->price, f->qty, Rounding::kHalfEven);
    if (!notional.ok()) return notional.status();
    bool buy = f->side == common::v1::SIDE_BUY;
    absl::Status summed = AddTo(buy ? &s.bought_qty : &s.sold_qty, f->qty, "traded quantity");
    if (summed.ok()) {
      summed = AddTo(buy ? &s.bought_notional : &s.sold_notional, *notional, "traded notional");
    }
    if (!summed.ok()) return summed;
    if (!f->fee.is_zero()) {
      if (f->fee_asset == s.quote_currency) {
        summed = w.account.AddQuoteFee(f->fee);
      } else if (f->fee_asset == spec.base_asset && !spec.base_asset.empty()) {
        absl::StatusOr<Amount> fee =
            Notional(f->price, Quantity::FromRaw(f->fee.raw()), Rounding::kHalfEven);
        summed = fee.ok() ? w.account.AddQuoteFee(*fee) : fee.status();
      } else if (f->fee_asset.empty()) {
        summed =
            absl::InvalidArgumentError(StrCat("fill ", f->fill_id, ": fee without a fee_asset"));
      } else {
        summed = AddTo(&s.other_fees[f->fee_asset], f->fee, "fees");
      }
      if (!summed.ok()) return summed;
    }
    s.fills.push_back(*f);
  }

  std::map<std::string, std::tuple<Int128, Int128, Int128>> by_currency;
  for (auto& [index, w] : work) {
    InstrumentStatement& s = w.statement;
    s.closing_qty = w.account.qty();
    s.closing_avg_cost = w.account.AverageCost();
    s.realized_pnl = w.account.realized();
    s.fees = w.account.quote_fees();
    auto mark = inputs.closing_marks.find(index);
    if (mark != inputs.closing_marks.end()) s.closing_mark = mark->second;
    if (!w.account.flat()) {
      if (mark == inputs.closing_marks.end()) {
        return absl::FailedPreconditionError(
            StrCat("no closing mark for ", s.id.ToString(), ", which closes ",
                   DateText(inputs.date), " with a position of ", s.closing_qty.ToString()));
      }
      absl::StatusOr<Amount> unrealized = w.account.Unrealized(mark->second);
      if (!unrealized.ok()) return unrealized.status();
      s.unrealized_pnl = *unrealized;
    }
    auto& [realized, unrealized, fees] = by_currency[s.quote_currency];
    realized += s.realized_pnl.raw();
    unrealized += s.unrealized_pnl.raw();
    fees += s.fees.raw();
    report.instruments.push_back(std::move(s));
  }
  std::sort(report.instruments.begin(), report.instruments.end(),
            [](const InstrumentStatement& a, const InstrumentStatement& b) { return a.id < b.id; });
  for (const auto& [currency, sums] : by_currency) {
    const auto& [realized, unrealized, fees] = sums;
    for (Int128 v : {realized, unrealized, fees}) {
      if (v > fixed_point::kMaxRaw || v < fixed_point::kMinRaw) {
        return absl::OutOfRangeError(StrCat("PnL in ", currency, " is out of range"));
      }
    }
    v1::PnlSummary& summary = report.by_quote_currency.emplace_back();
    summary.set_currency(currency);
    summary.set_realized(static_cast<int64_t>(realized));
    summary.set_unrealized(static_cast<int64_t>(unrealized));
    summary.set_fees(static_cast<int64_t>(fees));
    summary.set_as_of_ns(report.to.nanos());
  }
  return report;
}

void ToProto(const EndOfDayReport& report, const InstrumentTable& instruments,
             admin::v1::EndOfDayReportResponse* out) {
  out->set_date(DateText(report.date));
  for (const InstrumentStatement& s : report.instruments) {
    v1::Position* p = out->add_positions();
    s.id.ToProto(p->mutable_instrument());
    p->set_qty(s.closing_qty.raw());
    p->set_avg_cost(s.closing_avg_cost.raw());
    p->set_realized_pnl(s.realized_pnl.raw());
    p->set_unrealized_pnl(s.unrealized_pnl.raw());
    p->set_fees(s.fees.raw());
    p->set_mark_price(s.closing_mark.raw());
    p->set_quote_currency(s.quote_currency);
    for (const Fill& f : s.fills) {
      orders::v1::Fill* pf = out->add_fills();
      pf->set_fill_id(f.fill_id);
      pf->set_client_order_id(f.client_order_id);
      pf->set_venue_order_id(f.venue_order_id);
      pf->set_strategy_id(f.strategy_id);
      instruments.at(f.instrument).id.ToProto(pf->mutable_instrument());
      pf->set_side(f.side);
      pf->set_price(f.price.raw());
      pf->set_qty(f.qty.raw());
      pf->set_fee(f.fee.raw());
      pf->set_fee_asset(f.fee_asset);
      pf->set_liquidity(f.liquidity);
      pf->set_exchange_time_ns(f.time.nanos());
    }
  }
  if (report.by_quote_currency.size() == 1) *out->mutable_pnl() = report.by_quote_currency[0];
}

}  // namespace tradeplane::risk
