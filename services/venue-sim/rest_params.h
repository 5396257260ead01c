// The parameters of one REST request, as Binance reads them: the query string
// and the form body (application/x-www-form-urlencoded) together, decoded;
// duplicates refused; every parameter must be read by the endpoint, or the
// request is refused with -1104 ("Not all sent parameters were read").
//
// The signature is checked on the raw text, before decoding: Binance signs
// "totalParams", the query string concatenated with the body, exactly as sent.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_REST_PARAMS_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_REST_PARAMS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/fixed_point.h"

#include "binance_error.h"

namespace tradeplane::venue_sim {

// A value or the Binance error that refuses it.
template <typename T>
struct OrError {
  std::optional<T> value;
  BinanceError error;

  OrError(T v) : value(std::move(v)) {}             // NOLINT: implicit, like StatusOr
  OrError(BinanceError e) : error(std::move(e)) {}  // NOLINT
  bool ok() const { return value.has_value(); }
  T& operator*() { return *value; }
  const T& operator*() const { return *value; }
  T* operator->() { return &*value; }
};

// totalParams without the signature parameter, and that parameter's raw value.
struct SignedText {
  std::string payload;
  std::string signature;  // raw (still percent-encoded)
  int signatures = 0;     // how many signature parameters were sent
};
SignedText SplitSignature(std::string_view query, std::string_view body);

class RestParams {
 public:
  static constexpr size_t kMaxParams = 64;

  // Decodes the query and the body. -1100 for malformed percent-encoding,
  // -1101 for duplicates or too many parameters.
  static OrError<RestParams> Parse(std::string_view query, std::string_view body);

  // The value, marking it read; nullopt when absent.
  std::optional<std::string_view> Get(std::string_view name);
  bool Has(std::string_view name) const;

  // Helpers that mark the parameter read and say what is wrong with it.
  // Required: absent or empty -> -1102.
  OrError<std::string_view> Required(std::string_view name);
  // Optional integers and decimals: nullopt when absent; malformed -> -1100.
  OrError<std::optional<int64_t>> Int(std::string_view name);
  OrError<std::optional<int64_t>> Decimal(std::string_view name);  // raw 1e-9 units

  // -1104 when some parameter was never read.
  std::optional<BinanceError> CheckAllRead() const;

  size_t size() const { return params_.size(); }

 private:
  struct Param {
    std::string name;
    std::string value;
    bool read = false;
  };
  std::vector<Param> params_;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_REST_PARAMS_H_
