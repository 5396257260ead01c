// String concatenation that accepts std::string_view.
//
// Debian's Abseil (20220623) is built with its own absl::string_view, which
// std::string_view does not convert to, so absl::StrCat refuses the standard
// type. These wrappers convert at the call and otherwise are absl::StrCat.
// Other absl string utilities (EndsWith, StrJoin...) have the same problem:
// use std::string_view's own members or std::string instead.
#ifndef TRADEPLANE_CORE_STR_CAT_H_
#define TRADEPLANE_CORE_STR_CAT_H_

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace tradeplane {

inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
inline std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

namespace str_cat_internal {
template <typename T>
decltype(auto) Arg(const T& value) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return ToAbsl(value);
  } else {
    return (value);
  }
}
}  // namespace str_cat_internal

template <typename... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(str_cat_internal::Arg(args)...);
}

template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  absl::StrAppend(out, str_cat_internal::Arg(args)...);
}

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_STR_CAT_H_
