#include "rest_params.h"

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/query_string.h"

namespace tradeplane::venue_sim {
namespace {

// Removes every "signature=..." segment of `raw`, joining the other segments
// with '&' again, so every other byte stays as sent.
std::string Strip(std::string_view raw, SignedText* out) {
  std::string kept;
  kept.reserve(raw.size());
  bool first = true;
  size_t start = 0;
  while (true) {
    size_t end = raw.find('&', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view segment = raw.substr(start, end - start);
    size_t eq = segment.find('=');
    if (segment.substr(0, eq) == "signature") {
      ++out->signatures;
      out->signature = eq == std::string_view::npos ? "" : std::string(segment.substr(eq + 1));
    } else {
      if (!first) kept += '&';
      kept.append(segment);
      first = false;
    }
    if (end == raw.size()) break;
    start = end + 1;
  }
  return kept;
}

}  // namespace

SignedText SplitSignature(std::string_view query, std::string_view body) {
  SignedText out;
  std::string q =
      query.find("signature") == std::string_view::npos ? std::string(query) : Strip(query, &out);
  std::string b =
      body.find("signature") == std::string_view::npos ? std::string(body) : Strip(body, &out);
  out.payload = q + b;
  return out;
}

OrError<RestParams> RestParams::Parse(std::string_view query, std::string_view body) {
  RestParams p;
  for (std::string_view part : {query, body}) {
    if (part.empty()) continue;
    absl::StatusOr<std::vector<net::QueryParam>> parsed = net::ParseQuery(part);
    if (!parsed.ok()) return binance_errors::IllegalCharsAnywhere();
    for (net::QueryParam& q : *parsed) {
      if (p.params_.size() >= kMaxParams) return binance_errors::TooManyParameters();
      for (const Param& existing : p.params_) {
        if (existing.name == q.name) return binance_errors::DuplicateParameter(q.name);
      }
      p.params_.push_back(Param{std::move(q.name), std::move(q.value), false});
    }
  }
  return p;
}

std::optional<std::string_view> RestParams::Get(std::string_view name) {
  for (Param& p : params_) {
    if (p.name == name) {
      p.read = true;
      return std::string_view(p.value);
    }
  }
  return std::nullopt;
}

bool RestParams::Has(std::string_view name) const {
  for (const Param& p : params_) {
    if (p.name == name) return true;
  }
  return false;
}

OrError<std::string_view> RestParams::Required(std::string_view name) {
  std::optional<std::string_view> v = Get(name);
  if (!v || v->empty()) return binance_errors::MandatoryMissing(name);
  return *v;
}

OrError<std::optional<int64_t>> RestParams::Int(std::string_view name) {
  std::optional<std::string_view> v = Get(name);
  if (!v) return std::optional<int64_t>();
  if (v->empty()) return binance_errors::ParamEmpty(name);
  bool negative = (*v)[0] == '-';
  std::string_view digits = negative ? v->substr(1) : *v;
  if (digits.empty() || digits.size() > 18) {
    return binance_errors::IllegalChars(name, "^-?[0-9]{1,18}$");
  }
  int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return binance_errors::IllegalChars(name, "^-?[0-9]{1,18}$");
    n = n * 10 + (c - '0');
  }
  return std::optional<int64_t>(negative ? -n : n);
}

OrError<std::optional<int64_t>> RestParams::Decimal(std::string_view name) {
  std::optional<std::string_view> v = Get(name);
  if (!v) return std::optional<int64_t>();
  if (v->empty()) return binance_errors::ParamEmpty(name);
  for (char c : *v) {
    if (!((c >= '0' && c <= '9') || c == '.')) {
      return binance_errors::IllegalChars(name, "^([0-9]{1,20})(\\.[0-9]{1,20})?$");
    }
  }
  absl::StatusOr<int64_t> raw = fixed_point::ParseRaw(*v);
  if (!raw.ok()) {
    // Digits beyond the suite's nine decimals, or too large a number.
    return binance_errors::BadPrecision();
  }
  return std::optional<int64_t>(*raw);
}

std::optional<BinanceError> RestParams::CheckAllRead() const {
  int read = 0;
  for (const Param& p : params_) read += p.read ? 1 : 0;
  if (read == static_cast<int>(params_.size())) return std::nullopt;
  return binance_errors::UnreadParameters(read, static_cast<int>(params_.size()));
}

}  // namespace tradeplane::venue_sim
