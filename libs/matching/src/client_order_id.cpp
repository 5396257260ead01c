#include "tradeplane/matching/client_order_id.h"

#include <cstring>

namespace tradeplane::matching {

absl::StatusOr<ClientOrderId> ClientOrderId::Make(std::string_view text) {
  absl::Status valid = ValidateClientOrderId(text);
  if (!valid.ok()) return valid;
  ClientOrderId id;
  std::memcpy(id.data_, text.data(), text.size());
  id.size_ = static_cast<uint8_t>(text.size());
  return id;
}

}  // namespace tradeplane::matching
