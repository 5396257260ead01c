// Protobuf messages by their full name ("tradeplane.marketdata.v1.Quote"),
// for code that handles envelopes of any type (the recorder's dump, tradectl).
#ifndef TRADEPLANE_CORE_MESSAGE_REGISTRY_H_
#define TRADEPLANE_CORE_MESSAGE_REGISTRY_H_

#include <memory>
#include <string_view>

#include <google/protobuf/message.h>

namespace tradeplane {

// A new, empty message of that type, or null when no linked contract defines it.
std::unique_ptr<google::protobuf::Message> NewMessageByName(std::string_view full_name);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_MESSAGE_REGISTRY_H_
