// A small writer over RapidJSON for the Binance-shaped JSON the simulator
// sends: keys with string, integer, boolean and decimal values. Decimals are
// money in the suite's 1e-9 units, written as JSON strings with at least
// eight decimals, as Binance writes them ("0.10000000").
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_JSON_OUT_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_JSON_OUT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tradeplane/core/fixed_point.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace tradeplane::venue_sim {

// "0.10000000": at least eight decimals, more when the value has them.
inline std::string Decimal8(int64_t raw) { return fixed_point::FormatRawWithDecimals(raw, 8); }

class JsonOut {
 public:
  JsonOut() : w_(buffer_) {}

  JsonOut& Key(std::string_view key) {
    w_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    return *this;
  }
  JsonOut& BeginObject() {
    w_.StartObject();
    return *this;
  }
  JsonOut& EndObject() {
    w_.EndObject();
    return *this;
  }
  JsonOut& BeginArray() {
    w_.StartArray();
    return *this;
  }
  JsonOut& EndArray() {
    w_.EndArray();
    return *this;
  }
  JsonOut& String(std::string_view value) {
    w_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return *this;
  }
  JsonOut& Int(int64_t value) {
    w_.Int64(value);
    return *this;
  }
  JsonOut& Uint(uint64_t value) {
    w_.Uint64(value);
    return *this;
  }
  JsonOut& Bool(bool value) {
    w_.Bool(value);
    return *this;
  }
  JsonOut& Null() {
    w_.Null();
    return *this;
  }
  JsonOut& Dec(int64_t raw) { return String(Decimal8(raw)); }
  // A JSON text written as it is (already valid JSON).
  JsonOut& Raw(std::string_view json) {
    w_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    return *this;
  }

  // key: value shorthands.
  JsonOut& Str(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonOut& Num(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonOut& Flag(std::string_view key, bool value) { return Key(key).Bool(value); }
  JsonOut& Money(std::string_view key, int64_t raw) { return Key(key).Dec(raw); }

  std::string Take() { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_JSON_OUT_H_
