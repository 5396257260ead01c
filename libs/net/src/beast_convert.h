// Between Beast's message types and the library's plain ones.
#ifndef TRADEPLANE_NET_SRC_BEAST_CONVERT_H_
#define TRADEPLANE_NET_SRC_BEAST_CONVERT_H_

#include <string>
#include <string_view>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/fields.hpp>

#include "tradeplane/net/http_message.h"

namespace tradeplane::net {

inline std::string_view FromBeast(boost::beast::string_view s) {
  return std::string_view(s.data(), s.size());
}
inline boost::beast::string_view ToBeast(std::string_view s) {
  return boost::beast::string_view(s.data(), s.size());
}

inline HttpHeaders ToHeaders(const boost::beast::http::fields& fields) {
  HttpHeaders headers;
  for (const auto& field : fields)
    headers.Add(FromBeast(field.name_string()), FromBeast(field.value()));
  return headers;
}

inline void AddHeaders(const HttpHeaders& headers, boost::beast::http::fields* fields) {
  for (const auto& [name, value] : headers.fields()) fields->insert(ToBeast(name), ToBeast(value));
}

// Splits a request target into path and raw query.
inline void SplitTarget(std::string_view target, HttpRequest* request) {
  request->target = std::string(target);
  size_t question = target.find('?');
  request->path = std::string(target.substr(0, question));
  request->raw_query =
      question == std::string_view::npos ? std::string() : std::string(target.substr(question + 1));
}

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_SRC_BEAST_CONVERT_H_
