// Protobuf messages in bytea columns. Private to libs/store.
#ifndef TRADEPLANE_STORE_SRC_BYTEA_H_
#define TRADEPLANE_STORE_SRC_BYTEA_H_

#include <string>

#include <google/protobuf/message.h>
#include <pqxx/pqxx>

namespace tradeplane::store {

// libpqxx 6 reads bytea as escaped text; binarystring unescapes it. False when
// the bytes are not a `Message`: callers report that, never skip the row.
template <typename Message>
bool ParseBytea(const pqxx::field& f, Message* out) {
  pqxx::binarystring bytes(f);
  return out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

// `m` serialized into `buffer`, which must outlive the returned value.
inline pqxx::binarystring Bytes(const google::protobuf::Message& m, std::string* buffer) {
  m.SerializeToString(buffer);
  return pqxx::binarystring(buffer->data(), buffer->size());
}

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_SRC_BYTEA_H_
