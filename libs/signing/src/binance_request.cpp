#include "tradeplane/signing/binance_request.h"

#include <algorithm>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/binance_endpoints.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tradeplane::signing {
namespace {

using signer::v1::VenueRequest;

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

absl::Status CheckMethodAndPath(const VenueRequest& request) {
  const std::string& method = request.method();
  if (method != "GET" && method != "POST" && method != "PUT" && method != "DELETE") {
    return absl::InvalidArgumentError("method must be GET, POST, PUT or DELETE");
  }
  const std::string& path = request.path();
  if (path.empty() || path[0] != '/') return absl::InvalidArgumentError("path must start with /");
  for (char c : path) {
    if (!IsAlnum(c) && c != '/' && c != '_' && c != '-' && c != '.') {
      return absl::InvalidArgumentError(
          "path may contain only letters, digits and / _ - . (no query string)");
    }
  }
  if (path.find("..") != std::string::npos || path.find("//") != std::string::npos) {
    return absl::InvalidArgumentError("path must not contain .. or //");
  }
  return absl::OkStatus();
}

absl::Status CheckParam(int index, const signer::v1::Param& param) {
  const std::string& name = param.name();
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("parameter ", index + 1, " has no name"));
  }
  for (char c : name) {
    if (!IsAlnum(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter ", index + 1, " name may contain only letters and digits"));
    }
  }
  for (std::string_view reserved : {"timestamp", "recvWindow", "signature"}) {
    if (EqualsIgnoreCase(name, reserved)) {
      return absl::InvalidArgumentError(
          StrCat("parameter ", name, " is added by the signer and must not come from the caller"));
    }
  }
  const std::string& value = param.value();
  if (value.empty()) {
    return absl::InvalidArgumentError(StrCat("parameter ", name, " has an empty value"));
  }
  if (value.size() > kMaxVenueParamValueBytes) {
    return absl::InvalidArgumentError(
        StrCat("parameter ", name, " value is longer than ", kMaxVenueParamValueBytes, " bytes"));
  }
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e) {
      return absl::InvalidArgumentError(StrCat(
          "parameter ", name, " value has a control or non-ASCII character, which is refused"));
    }
  }
  return absl::OkStatus();
}

const signer::v1::Param* FindParam(const VenueRequest& request, std::string_view name) {
  for (const signer::v1::Param& p : request.params()) {
    if (p.name() == name) return &p;
  }
  return nullptr;
}

// Cross-checks a structured field against the parameter that carries it.
absl::StatusOr<std::string> AgreeingValue(std::string_view field_name, std::string_view declared,
                                          const signer::v1::Param* param) {
  if (param == nullptr) return std::string(declared);
  if (!declared.empty() && declared != param->value()) {
    return absl::InvalidArgumentError(StrCat(field_name, " ", declared, " disagrees with the ",
                                             field_name, " parameter ", param->value()));
  }
  return param->value();
}

}  // namespace

void AppendPercentEncoded(std::string_view text, std::string* out) {
  constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    if (IsUnreserved(c)) {
      out->push_back(c);
    } else {
      auto byte = static_cast<unsigned char>(c);
      out->push_back('%');
      out->push_back(kHex[byte >> 4]);
      out->push_back(kHex[byte & 0x0f]);
    }
  }
}

absl::StatusOr<std::string> BuildBinanceQuery(const VenueRequest& request, bool signed_request) {
  if (absl::Status s = CheckMethodAndPath(request); !s.ok()) return s;
  if (request.params_size() > kMaxVenueParams) {
    return absl::InvalidArgumentError(absl::StrCat("more than ", kMaxVenueParams, " parameters"));
  }
  std::string query;
  query.reserve(256);
  for (int i = 0; i < request.params_size(); ++i) {
    const signer::v1::Param& param = request.params(i);
    if (absl::Status s = CheckParam(i, param); !s.ok()) return s;
    for (int j = 0; j < i; ++j) {
      if (request.params(j).name() == param.name()) {
        return absl::InvalidArgumentError(StrCat("parameter ", param.name(), " appears twice"));
      }
    }
    if (!query.empty()) query.push_back('&');
    AppendPercentEncoded(param.name(), &query);
    query.push_back('=');
    AppendPercentEncoded(param.value(), &query);
  }
  if (!signed_request) return query;
  if (request.recv_window_ms() == 0 || request.recv_window_ms() > kMaxRecvWindowMs) {
    return absl::InvalidArgumentError(absl::StrCat("recv_window_ms must be 1 to ", kMaxRecvWindowMs,
                                                   ", not ", request.recv_window_ms()));
  }
  if (request.timestamp_ms() <= 0) {
    return absl::InvalidArgumentError("timestamp_ms is required (Unix milliseconds)");
  }
  absl::StrAppend(&query, query.empty() ? "" : "&", "recvWindow=", request.recv_window_ms(),
                  "&timestamp=", request.timestamp_ms());
  return query;
}

std::string AppendBinanceSignature(std::string_view query, std::string_view signature) {
  std::string out;
  out.reserve(query.size() + signature.size() * 3 + 11);
  out.append(query);
  if (!out.empty()) out.push_back('&');
  out.append("signature=");
  AppendPercentEncoded(signature, &out);
  return out;
}

absl::StatusOr<VenueRequestFacts> ReadVenueRequestFacts(const VenueRequest& request) {
  if (absl::Status s = CheckMethodAndPath(request); !s.ok()) return s;
  absl::StatusOr<signer::v1::RequestKind> kind =
      ClassifyBinanceEndpoint(request.venue(), request.method(), request.path());
  if (!kind.ok()) return kind.status();
  if (request.kind() != *kind) {
    return absl::InvalidArgumentError(StrCat("declared kind ", ShortEnumName(request.kind()),
                                             " but ", request.method(), " ", request.path(), " is ",
                                             ShortEnumName(*kind)));
  }
  VenueRequestFacts facts;
  facts.kind = *kind;

  absl::StatusOr<std::string> symbol =
      AgreeingValue("symbol", request.symbol(), FindParam(request, "symbol"));
  if (!symbol.ok()) return symbol.status();
  facts.symbol = *symbol;

  std::string_view declared_side;
  if (request.side() == common::v1::SIDE_BUY) declared_side = "BUY";
  if (request.side() == common::v1::SIDE_SELL) declared_side = "SELL";
  absl::StatusOr<std::string> side =
      AgreeingValue("side", declared_side, FindParam(request, "side"));
  if (!side.ok()) return side.status();
  if (*side == "BUY") {
    facts.side = common::v1::SIDE_BUY;
  } else if (*side == "SELL") {
    facts.side = common::v1::SIDE_SELL;
  } else if (!side->empty()) {
    return absl::InvalidArgumentError(StrCat("side parameter must be BUY or SELL, not ", *side));
  }

  if (facts.kind != signer::v1::REQUEST_KIND_ORDER) return facts;
  if (facts.symbol.empty()) return absl::InvalidArgumentError("an order must name its symbol");
  if (facts.side == common::v1::SIDE_UNSPECIFIED) {
    return absl::InvalidArgumentError("an order must name its side");
  }
  if (request.notional() < 0) return absl::InvalidArgumentError("notional must not be negative");
  Amount notional = Amount::FromRaw(request.notional());
  const signer::v1::Param* price_param = FindParam(request, "price");
  const signer::v1::Param* quantity_param = FindParam(request, "quantity");
  if (price_param != nullptr && quantity_param != nullptr) {
    absl::StatusOr<Price> price = Price::Parse(price_param->value());
    if (!price.ok()) {
      return absl::InvalidArgumentError(
          StrCat("price parameter: ", ToStd(price.status().message())));
    }
    absl::StatusOr<Quantity> quantity = Quantity::Parse(quantity_param->value());
    if (!quantity.ok()) {
      return absl::InvalidArgumentError(
          StrCat("quantity parameter: ", ToStd(quantity.status().message())));
    }
    absl::StatusOr<Amount> product = Notional(price->Abs(), quantity->Abs(), Rounding::kCeiling);
    if (!product.ok()) {
      return absl::InvalidArgumentError(
          StrCat("price * quantity: ", ToStd(product.status().message())));
    }
    notional = std::max(notional, *product);
  }
  if (const signer::v1::Param* quote = FindParam(request, "quoteOrderQty"); quote != nullptr) {
    absl::StatusOr<Amount> amount = Amount::Parse(quote->value());
    if (!amount.ok()) {
      return absl::InvalidArgumentError(
          StrCat("quoteOrderQty parameter: ", ToStd(amount.status().message())));
    }
    notional = std::max(notional, amount->Abs());
  }
  facts.notional = notional;
  return facts;
}

}  // namespace tradeplane::signing
