// Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B).
//
// Two ways in: append functions for building a transaction in one buffer with
// no intermediate tree (the hot path), and RlpItem for nested structures and
// tests. Only encoding: the signer never parses RLP from callers.
#ifndef TRADEPLANE_SIGNING_RLP_H_
#define TRADEPLANE_SIGNING_RLP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/signing/uint256.h"

namespace tradeplane::signing {

// A byte string item: a single byte below 0x80 is itself; otherwise a length
// prefix (0x80 + length, or 0xb7 + length-of-length and the length) and the bytes.
void RlpAppendString(std::string_view bytes, std::string* out);
// An integer item: its minimal big-endian bytes (zero is the empty string, 0x80).
void RlpAppendUint(uint64_t value, std::string* out);
void RlpAppendUint(const Uint256& value, std::string* out);
// The prefix of a list whose encoded items total `payload_length` bytes
// (0xc0 + length, or 0xf7 + length-of-length and the length).
void RlpAppendListHeader(size_t payload_length, std::string* out);
// A list from the already-encoded concatenation of its items.
std::string RlpWrapList(std::string_view encoded_items);

// A tree of byte strings and lists.
class RlpItem {
 public:
  static RlpItem String(std::string_view bytes);
  static RlpItem Uint(uint64_t value);
  static RlpItem List(std::vector<RlpItem> items);

  std::string Encode() const;
  void AppendTo(std::string* out) const;

 private:
  bool is_list_ = false;
  std::string bytes_;
  std::vector<RlpItem> items_;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_RLP_H_
