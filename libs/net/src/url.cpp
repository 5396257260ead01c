#include "tradeplane/net/url.h"

#include <algorithm>
#include <charconv>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::net {
namespace {

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Host names, IPv4 literals: letters, digits, '-', '.', '_'.
bool IsHostChar(char c) { return IsAlnum(c) || c == '-' || c == '.' || c == '_'; }

bool IsIpv6Char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

uint16_t DefaultPort(std::string_view scheme) {
  return (scheme == "https" || scheme == "wss") ? 443 : 80;
}

absl::Status Invalid(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("URL \"", text, "\": ", why));
}

}  // namespace

std::string Url::target() const { return query.empty() ? path : StrCat(path, "?", query); }

std::string Url::host_port() const {
  if (host.find(':') != std::string::npos) return StrCat("[", host, "]:", port);
  return StrCat(host, ":", port);
}

std::string Url::host_header() const {
  std::string bracketed = host.find(':') != std::string::npos ? StrCat("[", host, "]") : host;
  if (port == DefaultPort(scheme)) return bracketed;
  return StrCat(bracketed, ":", port);
}

std::string Url::Endpoint() const { return StrCat(scheme, "://", host_port(), path); }

std::string Url::ToString() const { return StrCat(scheme, "://", host_port(), target()); }

absl::StatusOr<Url> ParseUrl(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return Invalid(text, "contains a space or control character (percent-encode it)");
    }
  }
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return Invalid(text, "has no scheme (expected http://, https://, ws:// or wss://)");
  }
  Url url;
  url.scheme.reserve(scheme_end);
  for (char c : text.substr(0, scheme_end)) url.scheme.push_back(ToLower(c));
  if (url.scheme != "http" && url.scheme != "https" && url.scheme != "ws" && url.scheme != "wss") {
    return Invalid(text, StrCat("scheme \"", url.scheme, "\" is not http, https, ws or wss"));
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_and_query =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return Invalid(text, "user information (user@host) is not supported");
  }

  std::string_view host;
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(text, "IPv6 host has no closing ']'");
    host = authority.substr(1, close - 1);
    if (host.empty() || !std::all_of(host.begin(), host.end(), IsIpv6Char)) {
      return Invalid(text, "malformed IPv6 host");
    }
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Invalid(text, "unexpected text after the IPv6 host");
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) {
      return Invalid(text, StrCat("host \"", host, "\" has a character not allowed in a host"));
    }
  }
  if (host.empty()) return Invalid(text, "has no host");
  url.host.reserve(host.size());
  for (char c : host) url.host.push_back(ToLower(c));

  if (has_port) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
        port < 1 || port > 65535) {
      return Invalid(text, StrCat("port \"", port_text, "\" is not a number from 1 to 65535"));
    }
    url.port = static_cast<uint16_t>(port);
  } else {
    url.port = DefaultPort(url.scheme);
  }

  size_t question = path_and_query.find('?');
  std::string_view path = path_and_query.substr(0, question);
  url.path = path.empty() ? "/" : std::string(path);
  if (question != std::string_view::npos)
    url.query = std::string(path_and_query.substr(question + 1));
  return url;
}

}  // namespace tradeplane::net
