#include "tradeplane/core/message_registry.h"

#include <string>

#include <google/protobuf/descriptor.h>

namespace tradeplane {

std::unique_ptr<google::protobuf::Message> NewMessageByName(std::string_view full_name) {
  const google::protobuf::Descriptor* d =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          std::string(full_name));
  if (d == nullptr) return nullptr;
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
  if (prototype == nullptr) return nullptr;
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

}  // namespace tradeplane
