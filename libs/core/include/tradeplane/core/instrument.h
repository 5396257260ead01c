// Instruments: what can be traded where, and which prices and quantities are
// valid for it. Every pure library refers to instruments by an index into an
// InstrumentTable, so events carry a small integer instead of strings.
#ifndef TRADEPLANE_CORE_INSTRUMENT_H_
#define TRADEPLANE_CORE_INSTRUMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tradeplane/common/v1/common.pb.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane {

using Venue = common::v1::Venue;
using Side = common::v1::Side;

struct InstrumentId {
  Venue venue = common::v1::VENUE_UNSPECIFIED;
  std::string symbol;

  // "BINANCE.NKNUSDT": the venue's short name, a dot, the symbol.
  std::string ToString() const;
  static absl::StatusOr<InstrumentId> Parse(std::string_view text);
  static InstrumentId FromProto(const common::v1::InstrumentId& proto);
  void ToProto(common::v1::InstrumentId* out) const;

  friend bool operator==(const InstrumentId&, const InstrumentId&) = default;
  friend auto operator<=>(const InstrumentId&, const InstrumentId&) = default;
};

struct InstrumentSpec {
  InstrumentId id;
  marketdata::v1::InstrumentKind kind = marketdata::v1::INSTRUMENT_KIND_SPOT;
  std::string base_asset;
  std::string quote_asset;
  Price tick_size;
  Quantity lot_size;
  Quantity min_qty;         // zero = no minimum beyond one lot
  Quantity max_qty;         // zero = no maximum
  Amount min_notional;      // zero = none
  int price_precision = 9;  // decimals the venue accepts
  int qty_precision = 9;

  // Positive, a multiple of the tick, no more decimals than the venue takes.
  absl::Status CheckPrice(Price price) const;
  // Positive, a multiple of the lot, within [min_qty, max_qty].
  absl::Status CheckQuantity(Quantity qty) const;

  // Refuses a spec without venue, symbol, positive tick and lot sizes.
  static absl::StatusOr<InstrumentSpec> FromProto(const marketdata::v1::Instrument& proto);
  void ToProto(marketdata::v1::Instrument* out) const;
};

using InstrumentIndex = uint32_t;

// The instruments a process knows, each with a stable index (its position).
// Lookups by id allocate nothing.
class InstrumentTable {
 public:
  absl::StatusOr<InstrumentIndex> Add(InstrumentSpec spec);
  std::optional<InstrumentIndex> Find(Venue venue, std::string_view symbol) const;
  std::optional<InstrumentIndex> Find(const InstrumentId& id) const {
    return Find(id.venue, id.symbol);
  }
  const InstrumentSpec& at(InstrumentIndex index) const { return specs_[index]; }
  size_t size() const { return specs_.size(); }
  const std::vector<InstrumentSpec>& specs() const { return specs_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using SymbolMap = std::unordered_map<std::string, InstrumentIndex, Hash, std::equal_to<>>;
  std::vector<InstrumentSpec> specs_;
  std::vector<SymbolMap> by_venue_;  // indexed by the Venue enum's number
};

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_INSTRUMENT_H_
