#include "tradeplane/marketdata/lobster_format.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/us_eastern_time.h"

#include "csv_fields.h"

namespace tradeplane::marketdata {
namespace {

using internal::ParseInteger;
using internal::SplitCsvLine;
using internal::StripCarriageReturn;

// LOBSTER prices are dollars x 10,000; the suite's scale is 1e-9.
constexpr int64_t kRawPerLobsterPriceUnit = kFixedPointScale / 10'000;
constexpr int64_t kDummyPrice = 9'999'999'999;
// Well inside the fixed-point range after scaling.
constexpr int64_t kMaxLobsterPrice = kDummyPrice;
constexpr int64_t kMaxShares = fixed_point::kMaxRaw / kFixedPointScale;

std::string Shown(std::string_view field) {
  constexpr size_t kMaxShown = 32;
  if (field.size() <= kMaxShown) return StrCat("'", field, "'");
  return StrCat("'", field.substr(0, kMaxShown), "...'");
}

absl::Status BadField(std::string_view column, std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(StrCat(column, " ", Shown(field), ": ", why));
}

absl::StatusOr<Quantity> ParseShares(std::string_view column, std::string_view field) {
  std::optional<int64_t> shares = ParseInteger(field);
  if (!shares) return BadField(column, field, "not an integer number of shares");
  if (*shares < 0) return BadField(column, field, "negative size");
  if (*shares > kMaxShares) return BadField(column, field, "size out of range");
  return Quantity::FromRaw(*shares * kFixedPointScale);
}

absl::StatusOr<Price> ParseLobsterPrice(std::string_view column, std::string_view field) {
  std::optional<int64_t> units = ParseInteger(field);
  if (!units) return BadField(column, field, "not an integer (LOBSTER prices are dollars x 10000)");
  if (*units > kMaxLobsterPrice || *units < -kMaxLobsterPrice) {
    return BadField(column, field, "price out of range");
  }
  return Price::FromRaw(*units * kRawPerLobsterPriceUnit);
}

}  // namespace

std::string_view LobsterEventTypeName(LobsterEventType type) {
  switch (type) {
    case LobsterEventType::kSubmit:
      return "submit";
    case LobsterEventType::kPartialCancel:
      return "partial_cancel";
    case LobsterEventType::kDelete:
      return "delete";
    case LobsterEventType::kExecuteVisible:
      return "execute_visible";
    case LobsterEventType::kExecuteHidden:
      return "execute_hidden";
    case LobsterEventType::kCrossTrade:
      return "cross_trade";
    case LobsterEventType::kHalt:
      return "halt";
  }
  return "unknown";
}

absl::StatusOr<LobsterMessage> ParseLobsterMessage(std::string_view line) {
  std::array<std::string_view, 7> fields;
  size_t count = SplitCsvLine(StripCarriageReturn(line), fields);
  if (count != 6 && count != 7) {
    return absl::InvalidArgumentError(
        StrCat("LOBSTER message: expected 6 or 7 comma-separated columns "
               "(time,type,order_id,size,price,direction[,mpid]), found ",
               count > fields.size() ? StrCat("more than ", fields.size()) : StrCat(count)));
  }
  LobsterMessage message;
  std::optional<int64_t> nanos = internal::ParseSecondsAsNanos(fields[0]);
  if (!nanos) {
    return BadField("time", fields[0],
                    "not seconds after midnight (digits, optional '.', up to 9 decimals)");
  }
  message.time_after_midnight = Duration(*nanos);

  std::optional<int64_t> type = ParseInteger(fields[1]);
  if (!type || *type < 1 || *type > 7) return BadField("type", fields[1], "not an event type 1-7");
  message.type = static_cast<LobsterEventType>(*type);

  std::optional<int64_t> order_id = ParseInteger(fields[2]);
  if (!order_id) return BadField("order_id", fields[2], "not an integer");
  message.order_id = *order_id;

  absl::StatusOr<Quantity> size = ParseShares("size", fields[3]);
  if (!size.ok()) return size.status();
  message.size = *size;

  std::optional<int64_t> direction = ParseInteger(fields[5]);
  if (!direction || (*direction != 1 && *direction != -1)) {
    return BadField("direction", fields[5], "not 1 (buy) or -1 (sell)");
  }
  message.direction = *direction == 1 ? common::v1::SIDE_BUY : common::v1::SIDE_SELL;

  if (message.type == LobsterEventType::kHalt) {
    std::optional<int64_t> code = ParseInteger(fields[4]);
    if (!code || *code < -1 || *code > 1) {
      return BadField("price", fields[4],
                      "a halt message (type 7) needs -1 (halt), 0 (quotes resume) or 1 (trading "
                      "resumes)");
    }
    message.halt = static_cast<LobsterHaltState>(*code);
  } else {
    absl::StatusOr<Price> price = ParseLobsterPrice("price", fields[4]);
    if (!price.ok()) return price.status();
    if (!price->is_positive()) return BadField("price", fields[4], "price must be positive");
    if (message.size.is_zero()) {
      return BadField("size", fields[3],
                      StrCat("a ", LobsterEventTypeName(message.type), " needs a positive size"));
    }
    message.price = *price;
  }

  if (count == 7 && fields[6] != "null") {
    std::string_view mpid = fields[6];
    if (mpid.empty() || mpid.size() > sizeof(message.mpid)) {
      return BadField("mpid", mpid, "a participant id has 1 to 8 characters (or is 'null')");
    }
    std::memcpy(message.mpid, mpid.data(), mpid.size());
  }
  return message;
}

absl::Status ParseLobsterBookRow(std::string_view line, size_t expected_levels,
                                 LobsterBookRow* out) {
  out->asks.clear();
  out->bids.clear();
  out->levels = 0;
  line = StripCarriageReturn(line);
  size_t columns =
      line.empty() ? 0 : 1 + static_cast<size_t>(std::count(line.begin(), line.end(), ','));
  if (columns == 0 || columns % 4 != 0 ||
      (expected_levels != 0 && columns != 4 * expected_levels)) {
    return absl::InvalidArgumentError(
        StrCat("LOBSTER order-book row: expected ",
               expected_levels != 0 ? StrCat(4 * expected_levels) : std::string("a multiple of 4"),
               " columns (ask_price,ask_size,bid_price,bid_size per level), found ", columns));
  }
  out->levels = columns / 4;
  bool asks_ended = false;
  bool bids_ended = false;
  size_t start = 0;
  for (size_t level = 1; level <= out->levels; ++level) {
    std::array<std::string_view, 4> fields;
    for (std::string_view& field : fields) {
      size_t comma = line.find(',', start);
      field = line.substr(start,
                          comma == std::string_view::npos ? std::string_view::npos : comma - start);
      start = comma + 1;
    }
    for (int side = 0; side < 2; ++side) {
      bool ask = side == 0;
      std::string_view price_text = fields[ask ? 0 : 2];
      std::string_view size_text = fields[ask ? 1 : 3];
      // Column names are built only on the error path: parsing stays allocation-free.
      auto column = [ask, level](std::string_view what) {
        return StrCat(ask ? "ask_" : "bid_", what, "_", level);
      };
      std::optional<int64_t> units = ParseInteger(price_text);
      if (!units || *units > kMaxLobsterPrice || *units < -kMaxLobsterPrice) {
        return BadField(column("price"), price_text,
                        "not an integer in range (LOBSTER prices are dollars x 10000)");
      }
      Price price = Price::FromRaw(*units * kRawPerLobsterPriceUnit);
      std::optional<int64_t> shares = ParseInteger(size_text);
      if (!shares || *shares > kMaxShares) {
        return BadField(column("size"), size_text, "not an integer number of shares");
      }
      if (*shares < 0) return BadField(column("size"), size_text, "negative size");
      Quantity size = Quantity::FromRaw(*shares * kFixedPointScale);
      std::vector<BookLevel>& levels = ask ? out->asks : out->bids;
      bool& ended = ask ? asks_ended : bids_ended;
      if (size.is_zero()) {
        if (*units != (ask ? kDummyPrice : -kDummyPrice)) {
          return BadField(column("size"), size_text,
                          StrCat("size 0 at a real price (an empty level has the dummy price ",
                                 ask ? "" : "-", kDummyPrice, ")"));
        }
        ended = true;
        continue;
      }
      if (ended) {
        return absl::InvalidArgumentError(
            StrCat(ask ? "ask" : "bid", " level ", level, " is not empty but a better level is"));
      }
      if (!price.is_positive()) {
        return BadField(column("price"), price_text, "price must be positive");
      }
      if (!levels.empty() && (ask ? price <= levels.back().price : price >= levels.back().price)) {
        return BadField(column("price"), price_text,
                        StrCat("not ", ask ? "above" : "below", " the previous level's price"));
      }
      levels.push_back(BookLevel{price, size});
    }
  }
  if (!out->asks.empty() && !out->bids.empty() && out->bids[0].price >= out->asks[0].price) {
    return absl::InvalidArgumentError(StrCat("LOBSTER order-book row is crossed or locked: bid ",
                                             out->bids[0].price.ToString(), " >= ask ",
                                             out->asks[0].price.ToString()));
  }
  return absl::OkStatus();
}

absl::StatusOr<LobsterBookRow> ParseLobsterBookRow(std::string_view line, size_t expected_levels) {
  LobsterBookRow row;
  absl::Status status = ParseLobsterBookRow(line, expected_levels, &row);
  if (!status.ok()) return status;
  return row;
}

absl::StatusOr<LobsterFileName> ParseLobsterFileName(std::string_view name) {
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  auto bad = [name](std::string_view why) {
    return absl::InvalidArgumentError(
        StrCat("LOBSTER file name '", name, "': ", why,
               " (expected TICKER_YYYY-MM-DD_STARTMS_ENDMS_message|orderbook_LEVELS.csv)"));
  };
  if (!name.ends_with(".csv")) return bad("does not end in .csv");
  std::string_view stem = name.substr(0, name.size() - 4);
  // Split from the right: the symbol itself may contain '_'.
  std::array<std::string_view, 5> parts;  // date, start, end, kind, levels
  for (int i = 4; i >= 0; --i) {
    size_t underscore = stem.rfind('_');
    if (underscore == std::string_view::npos) return bad("too few '_'-separated parts");
    parts[static_cast<size_t>(i)] = stem.substr(underscore + 1);
    stem = stem.substr(0, underscore);
  }
  if (stem.empty()) return bad("no ticker");
  LobsterFileName result;
  result.symbol = std::string(stem);
  absl::StatusOr<CivilDate> date = ParseDate(parts[0]);
  if (!date.ok()) return bad(StrCat("date: ", ToStd(date.status().message())));
  result.date = *date;
  std::optional<int64_t> start_ms = ParseInteger(parts[1]);
  std::optional<int64_t> end_ms = ParseInteger(parts[2]);
  if (!start_ms || !end_ms || *start_ms < 0 || *end_ms < *start_ms || *end_ms > 86'400'000) {
    return bad("start and end must be milliseconds after midnight, start <= end");
  }
  result.start_after_midnight = std::chrono::milliseconds(*start_ms);
  result.end_after_midnight = std::chrono::milliseconds(*end_ms);
  if (parts[3] == "message") {
    result.kind = LobsterFileKind::kMessage;
  } else if (parts[3] == "orderbook") {
    result.kind = LobsterFileKind::kOrderBook;
  } else {
    return bad(StrCat("kind '", parts[3], "' is neither message nor orderbook"));
  }
  std::optional<int64_t> levels = ParseInteger(parts[4]);
  if (!levels || *levels <= 0) return bad("levels must be a positive integer");
  result.levels = static_cast<size_t>(*levels);
  return result;
}

absl::StatusOr<Timestamp> LobsterTimeToUtc(CivilDate date, Duration time_after_midnight) {
  return NewYorkLocalToUtc(date, time_after_midnight);
}

}  // namespace tradeplane::marketdata
