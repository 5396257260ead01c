#include "tradeplane/core/instrument.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane {
namespace {

int Decimals(int64_t raw) {
  int d = kFixedPointDecimals;
  while (d > 0 && raw % 10 == 0) {
    raw /= 10;
    --d;
  }
  return d;
}

}  // namespace

std::string InstrumentId::ToString() const { return StrCat(ShortEnumName(venue), ".", symbol); }

absl::StatusOr<InstrumentId> InstrumentId::Parse(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) {
    return absl::InvalidArgumentError(
        StrCat("instrument '", text.substr(0, 64), "' is not VENUE.SYMBOL (e.g. BINANCE.NKNUSDT)"));
  }
  InstrumentId id;
  if (!ParseEnum(text.substr(0, dot), &id.venue)) {
    return absl::InvalidArgumentError(StrCat("instrument '", text.substr(0, 64),
                                             "': unknown venue (one of ",
                                             EnumChoices(*common::v1::Venue_descriptor()), ")"));
  }
  id.symbol = std::string(text.substr(dot + 1));
  return id;
}

InstrumentId InstrumentId::FromProto(const common::v1::InstrumentId& proto) {
  return InstrumentId{proto.venue(), proto.symbol()};
}

void InstrumentId::ToProto(common::v1::InstrumentId* out) const {
  out->set_venue(venue);
  out->set_symbol(symbol);
}

absl::Status InstrumentSpec::CheckPrice(Price price) const {
  if (!price.is_positive()) {
    return absl::InvalidArgumentError(StrCat("price ", price.ToString(), " is not positive"));
  }
  if (Decimals(price.raw()) > price_precision) {
    return absl::InvalidArgumentError(StrCat("price ", price.ToString(), " has more than ",
                                             price_precision, " decimals for ", id.ToString()));
  }
  if (!price.IsMultipleOf(tick_size)) {
    return absl::InvalidArgumentError(StrCat("price ", price.ToString(), " is off the tick size ",
                                             tick_size.ToString(), " of ", id.ToString()));
  }
  return absl::OkStatus();
}

absl::Status InstrumentSpec::CheckQuantity(Quantity qty) const {
  if (!qty.is_positive()) {
    return absl::InvalidArgumentError(StrCat("quantity ", qty.ToString(), " is not positive"));
  }
  if (Decimals(qty.raw()) > qty_precision) {
    return absl::InvalidArgumentError(StrCat("quantity ", qty.ToString(), " has more than ",
                                             qty_precision, " decimals for ", id.ToString()));
  }
  if (!qty.IsMultipleOf(lot_size)) {
    return absl::InvalidArgumentError(StrCat("quantity ", qty.ToString(), " is off the lot size ",
                                             lot_size.ToString(), " of ", id.ToString()));
  }
  if (!min_qty.is_zero() && qty < min_qty) {
    return absl::InvalidArgumentError(StrCat("quantity ", qty.ToString(), " is below the minimum ",
                                             min_qty.ToString(), " of ", id.ToString()));
  }
  if (!max_qty.is_zero() && qty > max_qty) {
    return absl::InvalidArgumentError(StrCat("quantity ", qty.ToString(), " is above the maximum ",
                                             max_qty.ToString(), " of ", id.ToString()));
  }
  return absl::OkStatus();
}

absl::StatusOr<InstrumentSpec> InstrumentSpec::FromProto(const marketdata::v1::Instrument& p) {
  InstrumentSpec s;
  s.id = InstrumentId::FromProto(p.id());
  std::string name = s.id.symbol.empty() ? "(no symbol)" : s.id.ToString();
  if (s.id.venue == common::v1::VENUE_UNSPECIFIED) {
    return absl::InvalidArgumentError(StrCat("instrument ", name, ": venue is required"));
  }
  if (s.id.symbol.empty()) return absl::InvalidArgumentError("instrument: symbol is required");
  s.kind = p.kind() == marketdata::v1::INSTRUMENT_KIND_UNSPECIFIED
               ? marketdata::v1::INSTRUMENT_KIND_SPOT
               : p.kind();
  s.base_asset = p.base_asset();
  s.quote_asset = p.quote_asset();
  s.tick_size = Price::FromRaw(p.tick_size());
  s.lot_size = Quantity::FromRaw(p.lot_size());
  s.min_qty = Quantity::FromRaw(p.min_qty());
  s.max_qty = Quantity::FromRaw(p.max_qty());
  s.min_notional = Amount::FromRaw(p.min_notional());
  s.price_precision =
      p.price_precision() == 0 ? Decimals(p.tick_size()) : static_cast<int>(p.price_precision());
  s.qty_precision =
      p.qty_precision() == 0 ? Decimals(p.lot_size()) : static_cast<int>(p.qty_precision());
  if (!s.tick_size.is_positive() || !s.lot_size.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("instrument ", name, ": tick_size and lot_size must be positive"));
  }
  if (s.price_precision > kFixedPointDecimals || s.qty_precision > kFixedPointDecimals) {
    return absl::InvalidArgumentError(
        StrCat("instrument ", name, ": precision above ", kFixedPointDecimals, " decimals"));
  }
  return s;
}

void InstrumentSpec::ToProto(marketdata::v1::Instrument* out) const {
  id.ToProto(out->mutable_id());
  out->set_kind(kind);
  out->set_base_asset(base_asset);
  out->set_quote_asset(quote_asset);
  out->set_tick_size(tick_size.raw());
  out->set_lot_size(lot_size.raw());
  out->set_min_qty(min_qty.raw());
  out->set_max_qty(max_qty.raw());
  out->set_min_notional(min_notional.raw());
  out->set_price_precision(static_cast<uint32_t>(price_precision));
  out->set_qty_precision(static_cast<uint32_t>(qty_precision));
}

absl::StatusOr<InstrumentIndex> InstrumentTable::Add(InstrumentSpec spec) {
  if (Find(spec.id).has_value()) {
    return absl::AlreadyExistsError(StrCat("instrument ", spec.id.ToString(), " is listed twice"));
  }
  auto venue = static_cast<size_t>(spec.id.venue);
  if (by_venue_.size() <= venue) by_venue_.resize(venue + 1);
  auto index = static_cast<InstrumentIndex>(specs_.size());
  by_venue_[venue].emplace(spec.id.symbol, index);
  specs_.push_back(std::move(spec));
  return index;
}

std::optional<InstrumentIndex> InstrumentTable::Find(Venue venue, std::string_view symbol) const {
  auto v = static_cast<size_t>(venue);
  if (v >= by_venue_.size()) return std::nullopt;
  auto it = by_venue_[v].find(symbol);
  if (it == by_venue_[v].end()) return std::nullopt;
  return it->second;
}

}  // namespace tradeplane
