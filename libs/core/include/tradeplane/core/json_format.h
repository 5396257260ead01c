// The suite's JSON form of protobuf messages (CLI -o json, summaries, exports).
//
// Conventions (DESIGN.md, "Names users see"): protobuf field names in
// snake_case; enums by short name (FILLED, not ORDER_STATUS_FILLED); money
// (`fixed_point` fields) as exact decimal strings; `*_ns` timestamps as
// RFC 3339 text with nanoseconds (null when zero); bytes as lower-case hex;
// every scalar and list field is present even when empty, so scripts can rely
// on the keys; unset sub-messages are null.
#ifndef TRADEPLANE_CORE_JSON_FORMAT_H_
#define TRADEPLANE_CORE_JSON_FORMAT_H_

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

namespace tradeplane {

struct JsonOptions {
  bool pretty = false;  // two-space indentation
};

std::string ToJson(const google::protobuf::Message& message, JsonOptions options = {});
void AppendJson(const google::protobuf::Message& message, JsonOptions options, std::string* out);

// Appends `text` as a JSON string literal, quotes included.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_JSON_FORMAT_H_
