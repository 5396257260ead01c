#include "tradeplane/marketdata/binance_format.h"

#include <charconv>

#include "tradeplane/core/str_cat.h"

#include "csv_fields.h"
#include "rapidjson/allocators.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"

namespace tradeplane::marketdata {
namespace {

using JsonPool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using JsonDocument = rapidjson::GenericDocument<rapidjson::UTF8<>, JsonPool, JsonPool>;
using JsonValue = JsonDocument::ValueType;

// Numbers are read as their text (kParseNumbersAsStringsFlag) so that ids and
// decimals go through exact integer and fixed-point parsers.
constexpr unsigned kParseFlags = rapidjson::kParseNumbersAsStringsFlag;

// A stream frame fits; a 1000-level snapshot spills into one extra chunk.
constexpr size_t kValuePoolBytes = 64 << 10;
constexpr size_t kStackPoolBytes = 16 << 10;

absl::Status Invalid(std::string_view what, std::string_view why) {
  return absl::InvalidArgumentError(StrCat(what, ": ", why));
}

std::string_view Text(const JsonValue& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

const JsonValue* Member(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// Field readers: `object[key]` must be present and of the right kind. `event`
// names the message in errors ("depthUpdate").
class Fields {
 public:
  Fields(const JsonValue& object, std::string_view event) : object_(object), event_(event) {}

  bool Has(const char* key) const { return Member(object_, key) != nullptr; }

  absl::Status String(const char* key, std::string_view* out) const {
    const JsonValue* v = Member(object_, key);
    if (v == nullptr) return Missing(key);
    if (!v->IsString()) return Wrong(key, "not a string");
    *out = Text(*v);
    return absl::OkStatus();
  }
  absl::Status String(const char* key, std::string* out) const {
    std::string_view text;
    if (absl::Status s = String(key, &text); !s.ok()) return s;
    out->assign(text);
    return absl::OkStatus();
  }
  absl::Status Unsigned(const char* key, uint64_t* out) const {
    std::string_view text;
    if (absl::Status s = String(key, &text); !s.ok()) return s;
    std::optional<uint64_t> v = internal::ParseUnsigned(text);
    if (!v) return Wrong(key, StrCat("'", text.substr(0, 32), "' is not an unsigned integer"));
    *out = *v;
    return absl::OkStatus();
  }
  absl::Status Signed(const char* key, int64_t* out) const {
    std::string_view text;
    if (absl::Status s = String(key, &text); !s.ok()) return s;
    std::optional<int64_t> v = internal::ParseInteger(text);
    if (!v) return Wrong(key, StrCat("'", text.substr(0, 32), "' is not an integer"));
    *out = *v;
    return absl::OkStatus();
  }
  absl::Status Millis(const char* key, Timestamp* out) const {
    uint64_t ms = 0;
    if (absl::Status s = Unsigned(key, &ms); !s.ok()) return s;
    if (ms > static_cast<uint64_t>(INT64_MAX / 1'000'000)) return Wrong(key, "time out of range");
    *out = Timestamp::FromMillis(static_cast<int64_t>(ms));
    return absl::OkStatus();
  }
  absl::Status Bool(const char* key, bool* out) const {
    const JsonValue* v = Member(object_, key);
    if (v == nullptr) return Missing(key);
    if (!v->IsBool()) return Wrong(key, "not true or false");
    *out = v->GetBool();
    return absl::OkStatus();
  }
  template <typename Tag>
  absl::Status Decimal(const char* key, FixedPoint<Tag>* out, bool positive) const {
    std::string_view text;
    if (absl::Status s = String(key, &text); !s.ok()) return s;
    absl::StatusOr<FixedPoint<Tag>> v = FixedPoint<Tag>::Parse(text);
    if (!v.ok()) return Wrong(key, ToStd(v.status().message()));
    if (v->is_negative()) return Wrong(key, StrCat("negative value ", text));
    if (positive && !v->is_positive()) return Wrong(key, StrCat("must be positive, got ", text));
    *out = *v;
    return absl::OkStatus();
  }
  // [[price, qty], ...]: prices positive, quantities not negative.
  absl::Status Levels(const char* key, std::vector<BookLevel>* out) const {
    out->clear();
    const JsonValue* v = Member(object_, key);
    if (v == nullptr) return Missing(key);
    if (!v->IsArray()) return Wrong(key, "not an array of [price, quantity]");
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      const JsonValue& level = (*v)[i];
      if (!level.IsArray() || level.Size() < 2 || !level[0].IsString() || !level[1].IsString()) {
        return WrongLevel(key, i, "not a [price, quantity] pair of strings");
      }
      absl::StatusOr<Price> price = FixedPoint<PriceTag>::Parse(Text(level[0]));
      if (!price.ok())
        return WrongLevel(key, i, StrCat("price: ", ToStd(price.status().message())));
      if (!price->is_positive()) {
        return WrongLevel(key, i, StrCat("price ", Text(level[0]), " must be positive"));
      }
      absl::StatusOr<Quantity> qty = FixedPoint<QuantityTag>::Parse(Text(level[1]));
      if (!qty.ok()) return WrongLevel(key, i, StrCat("quantity: ", ToStd(qty.status().message())));
      if (qty->is_negative()) {
        return WrongLevel(key, i, StrCat("negative quantity ", Text(level[1])));
      }
      out->push_back(BookLevel{*price, *qty});
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Missing(const char* key) const {
    return absl::InvalidArgumentError(StrCat(event_, ": field '", key, "' is missing"));
  }
  absl::Status Wrong(const char* key, std::string_view why) const {
    return absl::InvalidArgumentError(StrCat(event_, ": field '", key, "': ", why));
  }
  absl::Status WrongLevel(const char* key, rapidjson::SizeType i, std::string_view why) const {
    return absl::InvalidArgumentError(StrCat(event_, ": field '", key, "' level ", i, ": ", why));
  }

  const JsonValue& object_;
  std::string_view event_;
};

#define TP_RETURN_IF_ERROR(expr)                       \
  do {                                                 \
    if (absl::Status _s = (expr); !_s.ok()) return _s; \
  } while (0)

absl::Status ReadDepthUpdate(const Fields& f, BinanceDepthUpdate* out) {
  TP_RETURN_IF_ERROR(f.String("s", &out->symbol));
  TP_RETURN_IF_ERROR(f.Millis("E", &out->event_time));
  out->transaction_time = Timestamp();
  if (f.Has("T")) TP_RETURN_IF_ERROR(f.Millis("T", &out->transaction_time));
  TP_RETURN_IF_ERROR(f.Unsigned("U", &out->first_update_id));
  TP_RETURN_IF_ERROR(f.Unsigned("u", &out->final_update_id));
  if (out->first_update_id > out->final_update_id) {
    return Invalid("depthUpdate", StrCat("first update id U ", out->first_update_id,
                                         " is after the final update id u ", out->final_update_id));
  }
  out->has_previous_final_update_id = f.Has("pu");
  out->previous_final_update_id = 0;
  if (out->has_previous_final_update_id) {
    TP_RETURN_IF_ERROR(f.Unsigned("pu", &out->previous_final_update_id));
  }
  TP_RETURN_IF_ERROR(f.Levels("b", &out->bids));
  TP_RETURN_IF_ERROR(f.Levels("a", &out->asks));
  return absl::OkStatus();
}

absl::Status ReadBookTicker(const Fields& f, BinanceBookTicker* out) {
  TP_RETURN_IF_ERROR(f.String("s", &out->symbol));
  TP_RETURN_IF_ERROR(f.Unsigned("u", &out->update_id));
  TP_RETURN_IF_ERROR(f.Decimal("b", &out->bid_price, /*positive=*/false));
  TP_RETURN_IF_ERROR(f.Decimal("B", &out->bid_qty, false));
  TP_RETURN_IF_ERROR(f.Decimal("a", &out->ask_price, false));
  TP_RETURN_IF_ERROR(f.Decimal("A", &out->ask_qty, false));
  out->event_time = Timestamp();
  out->transaction_time = Timestamp();
  if (f.Has("E")) TP_RETURN_IF_ERROR(f.Millis("E", &out->event_time));
  if (f.Has("T")) TP_RETURN_IF_ERROR(f.Millis("T", &out->transaction_time));
  return absl::OkStatus();
}

absl::Status ReadAggTrade(const Fields& f, BinanceAggTrade* out) {
  TP_RETURN_IF_ERROR(f.String("s", &out->symbol));
  TP_RETURN_IF_ERROR(f.Millis("E", &out->event_time));
  TP_RETURN_IF_ERROR(f.Unsigned("a", &out->aggregate_trade_id));
  TP_RETURN_IF_ERROR(f.Decimal("p", &out->price, /*positive=*/true));
  TP_RETURN_IF_ERROR(f.Decimal("q", &out->qty, true));
  TP_RETURN_IF_ERROR(f.Unsigned("f", &out->first_trade_id));
  TP_RETURN_IF_ERROR(f.Unsigned("l", &out->last_trade_id));
  TP_RETURN_IF_ERROR(f.Millis("T", &out->trade_time));
  TP_RETURN_IF_ERROR(f.Bool("m", &out->buyer_is_maker));
  return absl::OkStatus();
}

absl::Status ReadTrade(const Fields& f, BinanceTrade* out) {
  TP_RETURN_IF_ERROR(f.String("s", &out->symbol));
  TP_RETURN_IF_ERROR(f.Millis("E", &out->event_time));
  TP_RETURN_IF_ERROR(f.Unsigned("t", &out->trade_id));
  TP_RETURN_IF_ERROR(f.Decimal("p", &out->price, /*positive=*/true));
  TP_RETURN_IF_ERROR(f.Decimal("q", &out->qty, true));
  out->buyer_order_id = 0;
  out->seller_order_id = 0;
  if (f.Has("b")) TP_RETURN_IF_ERROR(f.Unsigned("b", &out->buyer_order_id));
  if (f.Has("a")) TP_RETURN_IF_ERROR(f.Unsigned("a", &out->seller_order_id));
  TP_RETURN_IF_ERROR(f.Millis("T", &out->trade_time));
  TP_RETURN_IF_ERROR(f.Bool("m", &out->buyer_is_maker));
  return absl::OkStatus();
}

absl::Status ReadKline(const Fields& f, const JsonValue& data, BinanceKline* out) {
  TP_RETURN_IF_ERROR(f.String("s", &out->symbol));
  TP_RETURN_IF_ERROR(f.Millis("E", &out->event_time));
  const JsonValue* k = Member(data, "k");
  if (k == nullptr || !k->IsObject())
    return Invalid("kline", "field 'k' is missing or not an object");
  Fields kf(*k, "kline.k");
  TP_RETURN_IF_ERROR(kf.Millis("t", &out->open_time));
  TP_RETURN_IF_ERROR(kf.Millis("T", &out->close_time));
  TP_RETURN_IF_ERROR(kf.String("i", &out->interval));
  TP_RETURN_IF_ERROR(kf.Signed("f", &out->first_trade_id));
  TP_RETURN_IF_ERROR(kf.Signed("L", &out->last_trade_id));
  TP_RETURN_IF_ERROR(kf.Decimal("o", &out->open, /*positive=*/true));
  TP_RETURN_IF_ERROR(kf.Decimal("h", &out->high, true));
  TP_RETURN_IF_ERROR(kf.Decimal("l", &out->low, true));
  TP_RETURN_IF_ERROR(kf.Decimal("c", &out->close, true));
  TP_RETURN_IF_ERROR(kf.Decimal("v", &out->volume, false));
  TP_RETURN_IF_ERROR(kf.Unsigned("n", &out->trade_count));
  TP_RETURN_IF_ERROR(kf.Bool("x", &out->closed));
  TP_RETURN_IF_ERROR(kf.Decimal("q", &out->quote_volume, false));
  TP_RETURN_IF_ERROR(kf.Decimal("V", &out->taker_buy_base_volume, false));
  TP_RETURN_IF_ERROR(kf.Decimal("Q", &out->taker_buy_quote_volume, false));
  if (out->low > out->high) {
    return Invalid("kline.k",
                   StrCat("low ", out->low.ToString(), " is above high ", out->high.ToString()));
  }
  return absl::OkStatus();
}

// The query parameter `name` of `url`, or empty.
std::string_view QueryParameter(std::string_view url, std::string_view name) {
  size_t query = url.find('?');
  while (query != std::string_view::npos) {
    std::string_view rest = url.substr(query + 1);
    if (rest.starts_with(name) && rest.size() > name.size() && rest[name.size()] == '=') {
      rest.remove_prefix(name.size() + 1);
      return rest.substr(0, rest.find('&'));
    }
    query = url.find('&', query + 1);
  }
  return {};
}

}  // namespace

struct BinanceParser::Json {
  Json()
      : value_buffer(new char[kValuePoolBytes]),
        stack_buffer(new char[kStackPoolBytes]),
        value_pool(value_buffer.get(), kValuePoolBytes),
        stack_pool(stack_buffer.get(), kStackPoolBytes),
        document(&value_pool, 1024, &stack_pool) {
    text.reserve(4096);
  }

  // Parses `json` in place in `text`; the document's strings point into it.
  absl::Status Parse(std::string_view json, std::string_view what) {
    document.SetNull();
    value_pool.Clear();
    stack_pool.Clear();
    text.assign(json);
    document.ParseInsitu<kParseFlags>(text.data());
    if (document.HasParseError()) {
      return absl::InvalidArgumentError(
          StrCat(what, ": malformed JSON at offset ", document.GetErrorOffset(), ": ",
                 rapidjson::GetParseError_En(document.GetParseError())));
    }
    if (!document.IsObject()) return Invalid(what, "the JSON is not an object");
    return absl::OkStatus();
  }

  std::unique_ptr<char[]> value_buffer;
  std::unique_ptr<char[]> stack_buffer;
  JsonPool value_pool;
  JsonPool stack_pool;
  JsonDocument document;
  std::string text;
};

BinanceParser::BinanceParser() : json_(std::make_unique<Json>()) {}
BinanceParser::~BinanceParser() = default;

absl::StatusOr<Timestamp> ParseEpochSeconds(std::string_view text) {
  std::optional<int64_t> nanos = internal::ParseSecondsAsNanos(text);
  if (!nanos) {
    return absl::InvalidArgumentError(
        StrCat("receive time '", text.substr(0, 32),
               "' is not epoch seconds (digits, optional '.', up to 9 decimals)"));
  }
  return Timestamp::FromNanos(*nanos);
}

absl::Status BinanceParser::ParseWsLogLine(std::string_view line, BinanceFrame* out) {
  line = internal::StripCarriageReturn(line);
  size_t colon = line.find(": ");
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        "ws.log line: expected '<receive epoch seconds>: <JSON frame>'");
  }
  absl::StatusOr<Timestamp> receive = ParseEpochSeconds(line.substr(0, colon));
  if (!receive.ok()) return receive.status();
  return ParseFrame(line.substr(colon + 2), *receive, out);
}

absl::Status BinanceParser::ParseFrame(std::string_view json, Timestamp receive_time,
                                       BinanceFrame* out) {
  out->kind = BinanceEventKind::kNone;
  out->receive_time = receive_time;
  out->stream.clear();
  TP_RETURN_IF_ERROR(json_->Parse(json, "Binance frame"));
  const JsonValue* data = &json_->document;
  if (const JsonValue* stream = Member(json_->document, "stream"); stream != nullptr) {
    if (!stream->IsString()) return Invalid("Binance frame", "'stream' is not a string");
    out->stream.assign(Text(*stream));
    data = Member(json_->document, "data");
    if (data == nullptr || !data->IsObject()) {
      return Invalid("Binance frame", "combined frame without a 'data' object");
    }
  }
  std::string_view event;
  if (const JsonValue* e = Member(*data, "e"); e != nullptr && e->IsString()) {
    event = Text(*e);
  } else if (std::string_view(out->stream).ends_with("@bookTicker") ||
             (Member(*data, "u") && Member(*data, "B") && Member(*data, "A"))) {
    event = "bookTicker";  // spot bookTicker frames carry no event type
  } else {
    return Invalid("Binance frame", "no event type 'e' and not a bookTicker");
  }
  Fields f(*data, event);
  if (event == "depthUpdate") {
    TP_RETURN_IF_ERROR(ReadDepthUpdate(f, &out->depth));
    out->kind = BinanceEventKind::kDepthUpdate;
  } else if (event == "bookTicker") {
    TP_RETURN_IF_ERROR(ReadBookTicker(f, &out->book_ticker));
    out->kind = BinanceEventKind::kBookTicker;
  } else if (event == "aggTrade") {
    TP_RETURN_IF_ERROR(ReadAggTrade(f, &out->agg_trade));
    out->kind = BinanceEventKind::kAggTrade;
  } else if (event == "trade") {
    TP_RETURN_IF_ERROR(ReadTrade(f, &out->trade));
    out->kind = BinanceEventKind::kTrade;
  } else if (event == "kline") {
    TP_RETURN_IF_ERROR(ReadKline(f, *data, &out->kline));
    out->kind = BinanceEventKind::kKline;
  } else {
    return absl::UnimplementedError(
        StrCat("Binance frame: event type '", event.substr(0, 32), "' is not handled"));
  }
  return absl::OkStatus();
}

absl::Status BinanceParser::ParseRestLogLine(std::string_view line, BinanceDepthSnapshot* out) {
  line = internal::StripCarriageReturn(line);
  size_t arrow = line.find(" -> ");
  size_t colon = arrow == std::string_view::npos ? arrow : line.find(": ", arrow);
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        "rest.log line: expected '<request URL> -> <receive epoch seconds>: <JSON>'");
  }
  absl::StatusOr<Timestamp> receive = ParseEpochSeconds(line.substr(arrow + 4, colon - arrow - 4));
  if (!receive.ok()) return receive.status();
  return ParseDepthSnapshot(line.substr(0, arrow), line.substr(colon + 2), *receive, out);
}

absl::Status BinanceParser::ParseDepthSnapshot(std::string_view url, std::string_view json,
                                               Timestamp receive_time, BinanceDepthSnapshot* out) {
  if (url.find("/fapi/v1/depth") != std::string_view::npos) {
    out->market = BinanceMarket::kUsdmFutures;
  } else if (url.find("/api/v3/depth") != std::string_view::npos) {
    out->market = BinanceMarket::kSpot;
  } else {
    return Invalid("depth snapshot", StrCat("URL '", url.substr(0, 80),
                                            "' is neither /api/v3/depth nor /fapi/v1/depth"));
  }
  std::string_view symbol = QueryParameter(url, "symbol");
  if (symbol.empty()) return Invalid("depth snapshot", "the URL has no symbol parameter");
  out->symbol.assign(symbol);
  out->receive_time = receive_time;
  TP_RETURN_IF_ERROR(json_->Parse(json, "depth snapshot"));
  Fields f(json_->document, "depth snapshot");
  if (f.Has("code") && f.Has("msg")) {
    std::string_view message;
    (void)f.String("msg", &message);
    return Invalid("depth snapshot",
                   StrCat("the venue answered an error: ", message.substr(0, 120)));
  }
  TP_RETURN_IF_ERROR(f.Unsigned("lastUpdateId", &out->last_update_id));
  out->event_time = Timestamp();
  out->transaction_time = Timestamp();
  if (f.Has("E")) TP_RETURN_IF_ERROR(f.Millis("E", &out->event_time));
  if (f.Has("T")) TP_RETURN_IF_ERROR(f.Millis("T", &out->transaction_time));
  TP_RETURN_IF_ERROR(f.Levels("bids", &out->bids));
  TP_RETURN_IF_ERROR(f.Levels("asks", &out->asks));
  return absl::OkStatus();
}

absl::StatusOr<BinanceFrame> ParseBinanceWsLogLine(std::string_view line) {
  BinanceParser parser;
  BinanceFrame frame;
  TP_RETURN_IF_ERROR(parser.ParseWsLogLine(line, &frame));
  return frame;
}

absl::StatusOr<BinanceDepthSnapshot> ParseBinanceRestLogLine(std::string_view line) {
  BinanceParser parser;
  BinanceDepthSnapshot snapshot;
  TP_RETURN_IF_ERROR(parser.ParseRestLogLine(line, &snapshot));
  return snapshot;
}

absl::StatusOr<BinanceWsLogHeader> ParseBinanceWsLogHeader(std::string_view line) {
  line = internal::StripCarriageReturn(line);
  size_t arrow = line.find(" <-> ");
  if (arrow == std::string_view::npos || !line.starts_with("wss://")) {
    return absl::InvalidArgumentError(
        "ws.log header: expected '<wss:// stream URL> <-> <connect epoch seconds>'");
  }
  absl::StatusOr<Timestamp> connect = ParseEpochSeconds(line.substr(arrow + 5));
  if (!connect.ok()) return connect.status();
  BinanceWsLogHeader header;
  header.url = std::string(line.substr(0, arrow));
  header.market = header.url.find("fstream.") != std::string::npos ? BinanceMarket::kUsdmFutures
                                                                   : BinanceMarket::kSpot;
  header.connect_time = *connect;
  return header;
}

Quote ToQuote(const BinanceBookTicker& ticker, InstrumentIndex instrument, Timestamp receive_time) {
  Quote quote;
  quote.instrument = instrument;
  quote.bid_price = ticker.bid_price;
  quote.bid_qty = ticker.bid_qty;
  quote.ask_price = ticker.ask_price;
  quote.ask_qty = ticker.ask_qty;
  quote.exchange_time =
      !ticker.transaction_time.is_zero() ? ticker.transaction_time : ticker.event_time;
  quote.receive_time = receive_time;
  return quote;
}

Trade ToTrade(const BinanceAggTrade& trade, InstrumentIndex instrument, Timestamp receive_time) {
  Trade out;
  out.instrument = instrument;
  out.price = trade.price;
  out.qty = trade.qty;
  out.aggressor = trade.buyer_is_maker ? common::v1::SIDE_SELL : common::v1::SIDE_BUY;
  out.trade_id = trade.aggregate_trade_id;
  out.exchange_time = trade.trade_time;
  out.receive_time = receive_time;
  return out;
}

Trade ToTrade(const BinanceTrade& trade, InstrumentIndex instrument, Timestamp receive_time) {
  Trade out;
  out.instrument = instrument;
  out.price = trade.price;
  out.qty = trade.qty;
  out.aggressor = trade.buyer_is_maker ? common::v1::SIDE_SELL : common::v1::SIDE_BUY;
  out.trade_id = trade.trade_id;
  out.exchange_time = trade.trade_time;
  out.receive_time = receive_time;
  return out;
}

}  // namespace tradeplane::marketdata
