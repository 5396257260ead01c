// Query strings and percent-encoding (RFC 3986), as Binance sends them.
//
// ParseQuery reads "symbol=BTCUSDT&side=BUY&price=0.1" in order, keeping
// duplicates, and decodes each name and value (%XX and '+' as a space, the
// HTML form rules that servers apply to query strings and to
// application/x-www-form-urlencoded bodies). It never rebuilds the raw text:
// whoever checks a signature keeps the raw query (Url::query,
// HttpRequest::raw_query) and hashes that.
#ifndef TRADEPLANE_NET_QUERY_STRING_H_
#define TRADEPLANE_NET_QUERY_STRING_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tradeplane::net {

struct QueryParam {
  std::string name;   // decoded
  std::string value;  // decoded; empty for "name" and "name="

  bool operator==(const QueryParam&) const = default;
};

// Splits on '&' (empty segments, as in "a=1&&b=2", are skipped) and on the
// first '=' of each segment. InvalidArgument when a '%' is not followed by two
// hex digits, naming the parameter and the offset in `raw_query`.
absl::StatusOr<std::vector<QueryParam>> ParseQuery(std::string_view raw_query);

// The value of the first parameter called `name`, or nullptr.
const std::string* FindQueryValue(const std::vector<QueryParam>& params, std::string_view name);

// name=value pairs joined by '&', each side PercentEncode'd, in the given order.
std::string BuildQuery(const std::vector<QueryParam>& params);

// Everything but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~) becomes
// %XX with upper-case hex; a space becomes %20. The same rule the signer uses.
std::string PercentEncode(std::string_view text);

// %XX becomes the byte it names (either hex case); with `plus_as_space`, '+'
// becomes ' '. InvalidArgument when a '%' is not followed by two hex digits.
absl::StatusOr<std::string> PercentDecode(std::string_view text, bool plus_as_space = false);

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_QUERY_STRING_H_
