// The byte encoding behind request digests and audit hashes: every field
// written in a fixed order with a fixed width or a length prefix, so equal
// content gives equal bytes whatever protobuf's serializer does (its output is
// not guaranteed canonical across versions or with unknown fields).
//
//   u8 / u32 / u64 / i64   big-endian, fixed width (i64 as two's complement)
//   bytes / string          u32 big-endian length, then the bytes
//   enum                    its number as i64
#ifndef TRADEPLANE_SIGNING_CANONICAL_WRITER_H_
#define TRADEPLANE_SIGNING_CANONICAL_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace tradeplane::signing {

class CanonicalWriter {
 public:
  explicit CanonicalWriter(std::string_view domain) { Bytes(domain); }

  CanonicalWriter& U8(uint8_t v) {
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  CanonicalWriter& U32(uint32_t v) { return BigEndian(v, 4); }
  CanonicalWriter& U64(uint64_t v) { return BigEndian(v, 8); }
  CanonicalWriter& I64(int64_t v) { return BigEndian(static_cast<uint64_t>(v), 8); }
  CanonicalWriter& Enum(int v) { return I64(v); }
  CanonicalWriter& Bool(bool v) { return U8(v ? 1 : 0); }
  CanonicalWriter& Bytes(std::string_view v) {
    U32(static_cast<uint32_t>(v.size()));
    out_.append(v);
    return *this;
  }

  const std::string& bytes() const { return out_; }

 private:
  CanonicalWriter& BigEndian(uint64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) out_.push_back(static_cast<char>(v >> (8 * i)));
    return *this;
  }
  std::string out_;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_CANONICAL_WRITER_H_
