// The suite's names for protobuf enum values.
//
// Every enum's zero value is `<PREFIX>_UNSPECIFIED`; the short name of a value
// is its name without that prefix (ORDER_STATUS_FILLED -> FILLED). Topics,
// JSON and the CLI use short names.
#ifndef TRADEPLANE_CORE_ENUM_NAMES_H_
#define TRADEPLANE_CORE_ENUM_NAMES_H_

#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

namespace tradeplane {

// "ORDER_STATUS_" for OrderStatus (derived from its zero value's name).
std::string_view EnumPrefix(const google::protobuf::EnumDescriptor& descriptor);

// ORDER_STATUS_FILLED -> "FILLED". Unknown numbers print as the number.
std::string_view ShortEnumName(const google::protobuf::EnumValueDescriptor& value);

template <typename E>
std::string_view ShortEnumName(E value) {
  const google::protobuf::EnumDescriptor* d = google::protobuf::GetEnumDescriptor<E>();
  const google::protobuf::EnumValueDescriptor* v = d->FindValueByNumber(static_cast<int>(value));
  return v == nullptr ? std::string_view("UNKNOWN") : ShortEnumName(*v);
}

// Finds a value by its full or short name, case-insensitively. Returns null
// when there is none; the UNSPECIFIED value is never returned.
const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor& descriptor, std::string_view name);

// The short names of every value but UNSPECIFIED, comma-separated (for errors).
std::string EnumChoices(const google::protobuf::EnumDescriptor& descriptor);

template <typename E>
bool ParseEnum(std::string_view name, E* out) {
  const google::protobuf::EnumValueDescriptor* v =
      FindEnumValue(*google::protobuf::GetEnumDescriptor<E>(), name);
  if (v == nullptr) return false;
  *out = static_cast<E>(v->number());
  return true;
}

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_ENUM_NAMES_H_
