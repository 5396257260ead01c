// Byte strings travel as std::string / std::string_view in this library (the
// protobuf `bytes` fields are std::string); these convert at the boundary with
// APIs that speak std::span<const uint8_t>.
#ifndef TRADEPLANE_SIGNING_BYTE_VIEW_H_
#define TRADEPLANE_SIGNING_BYTE_VIEW_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace tradeplane::signing {

inline std::span<const uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

inline std::string_view AsChars(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_BYTE_VIEW_H_
