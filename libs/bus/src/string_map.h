// Private: hash maps keyed by std::string that can be searched with a
// std::string_view, so lookups on the hot path allocate nothing.
#ifndef TRADEPLANE_BUS_SRC_STRING_MAP_H_
#define TRADEPLANE_BUS_SRC_STRING_MAP_H_

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tradeplane::bus {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_SRC_STRING_MAP_H_
