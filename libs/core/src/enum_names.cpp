#include "tradeplane/core/enum_names.h"

#include <vector>

#include "absl/strings/str_join.h"

namespace tradeplane {

std::string_view EnumPrefix(const google::protobuf::EnumDescriptor& descriptor) {
  const google::protobuf::EnumValueDescriptor* zero = descriptor.FindValueByNumber(0);
  if (zero == nullptr) return {};
  std::string_view name = zero->name();
  constexpr std::string_view kSuffix = "UNSPECIFIED";
  if (!name.ends_with(kSuffix)) return {};
  return name.substr(0, name.size() - kSuffix.size());
}

std::string_view ShortEnumName(const google::protobuf::EnumValueDescriptor& value) {
  std::string_view name = value.name();
  std::string_view prefix = EnumPrefix(*value.type());
  if (!prefix.empty() && name.starts_with(prefix)) name.remove_prefix(prefix.size());
  return name;
}

const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor& descriptor, std::string_view name) {
  std::string upper(name);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  const google::protobuf::EnumValueDescriptor* v = descriptor.FindValueByName(upper);
  if (v == nullptr) v = descriptor.FindValueByName(std::string(EnumPrefix(descriptor)) + upper);
  if (v == nullptr || v->number() == 0) return nullptr;
  return v;
}

std::string EnumChoices(const google::protobuf::EnumDescriptor& descriptor) {
  std::vector<std::string> names;
  for (int i = 0; i < descriptor.value_count(); ++i) {
    if (descriptor.value(i)->number() != 0) names.emplace_back(ShortEnumName(*descriptor.value(i)));
  }
  return absl::StrJoin(names, ", ");
}

}  // namespace tradeplane
