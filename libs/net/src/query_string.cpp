#include "tradeplane/net/query_string.h"

#include <optional>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::net {
namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes `text` into `out`; on a bad escape returns its offset in `text`.
std::optional<size_t> DecodeInto(std::string_view text, bool plus_as_space, std::string* out) {
  out->clear();
  out->reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) return i;
      out->push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string PercentEncode(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  return out;
}

absl::StatusOr<std::string> PercentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  if (std::optional<size_t> bad = DecodeInto(text, plus_as_space, &out)) {
    return absl::InvalidArgumentError(StrCat("percent-decoding \"", text, "\": '%' at offset ",
                                             *bad, " is not followed by two hex digits"));
  }
  return out;
}

absl::StatusOr<std::vector<QueryParam>> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> params;
  size_t start = 0;
  while (start <= raw_query.size()) {
    size_t amp = raw_query.find('&', start);
    size_t end = amp == std::string_view::npos ? raw_query.size() : amp;
    std::string_view segment = raw_query.substr(start, end - start);
    if (!segment.empty()) {
      size_t eq = segment.find('=');
      std::string_view name = segment.substr(0, eq);
      std::string_view value =
          eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
      QueryParam param;
      if (std::optional<size_t> bad = DecodeInto(name, true, &param.name)) {
        return absl::InvalidArgumentError(StrCat("query string: parameter name \"", name,
                                                 "\" at offset ", start + *bad,
                                                 ": '%' is not followed by two hex digits"));
      }
      if (std::optional<size_t> bad = DecodeInto(value, true, &param.value)) {
        return absl::InvalidArgumentError(StrCat("query string: parameter \"", param.name,
                                                 "\" at offset ", start + eq + 1 + *bad,
                                                 ": '%' is not followed by two hex digits"));
      }
      params.push_back(std::move(param));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return params;
}

const std::string* FindQueryValue(const std::vector<QueryParam>& params, std::string_view name) {
  for (const QueryParam& p : params) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

std::string BuildQuery(const std::vector<QueryParam>& params) {
  std::string out;
  for (const QueryParam& p : params) {
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(p.name);
    out.push_back('=');
    out += PercentEncode(p.value);
  }
  return out;
}

}  // namespace tradeplane::net
