#include "tradeplane/signing/rlp.h"

namespace tradeplane::signing {
namespace {

// The short form carries lengths up to 55 in the prefix byte itself; longer
// ones put the big-endian length after a prefix that says how many bytes it has.
void AppendLengthPrefix(size_t length, uint8_t short_base, uint8_t long_base, std::string* out) {
  if (length <= 55) {
    out->push_back(static_cast<char>(short_base + length));
    return;
  }
  char be[8];
  int n = 0;
  for (size_t v = length; v != 0; v >>= 8) be[7 - n++] = static_cast<char>(v & 0xff);
  out->push_back(static_cast<char>(long_base + n));
  out->append(be + 8 - n, n);
}

}  // namespace

void RlpAppendString(std::string_view bytes, std::string* out) {
  if (bytes.size() == 1 && static_cast<uint8_t>(bytes[0]) < 0x80) {
    out->push_back(bytes[0]);
    return;
  }
  AppendLengthPrefix(bytes.size(), 0x80, 0xb7, out);
  out->append(bytes);
}

void RlpAppendUint(uint64_t value, std::string* out) {
  char be[8];
  int n = 0;
  for (uint64_t v = value; v != 0; v >>= 8) be[7 - n++] = static_cast<char>(v & 0xff);
  RlpAppendString(std::string_view(be + 8 - n, n), out);
}

void RlpAppendUint(const Uint256& value, std::string* out) {
  RlpAppendString(value.ToMinimalBigEndian(), out);
}

void RlpAppendListHeader(size_t payload_length, std::string* out) {
  AppendLengthPrefix(payload_length, 0xc0, 0xf7, out);
}

std::string RlpWrapList(std::string_view encoded_items) {
  std::string out;
  out.reserve(encoded_items.size() + 9);
  RlpAppendListHeader(encoded_items.size(), &out);
  out.append(encoded_items);
  return out;
}

RlpItem RlpItem::String(std::string_view bytes) {
  RlpItem item;
  item.bytes_ = std::string(bytes);
  return item;
}

RlpItem RlpItem::Uint(uint64_t value) {
  RlpItem item;
  // Kept as its minimal big-endian bytes; AppendTo encodes them as a string.
  char be[8];
  int n = 0;
  for (uint64_t v = value; v != 0; v >>= 8) be[7 - n++] = static_cast<char>(v & 0xff);
  item.bytes_ = std::string(be + 8 - n, n);
  return item;
}

RlpItem RlpItem::List(std::vector<RlpItem> items) {
  RlpItem item;
  item.is_list_ = true;
  item.items_ = std::move(items);
  return item;
}

void RlpItem::AppendTo(std::string* out) const {
  if (!is_list_) {
    RlpAppendString(bytes_, out);
    return;
  }
  std::string payload;
  for (const RlpItem& item : items_) item.AppendTo(&payload);
  RlpAppendListHeader(payload.size(), out);
  out->append(payload);
}

std::string RlpItem::Encode() const {
  std::string out;
  AppendTo(&out);
  return out;
}

}  // namespace tradeplane::signing
