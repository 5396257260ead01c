// The approval risk attaches to every order it forwards. Execution places an
// order only when its approval verifies under the key the two share, so
// nothing but risk can place orders, even a process that reaches
// execution's socket. The approval is an HMAC-SHA256 over the order's
// canonical fields (everything that matters: who, what, how much, at what
// price) and risk's decision id, fencing epoch and time.
#ifndef TRADEPLANE_CORE_APPROVAL_H_
#define TRADEPLANE_CORE_APPROVAL_H_

#include <string>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/orders/v1/orders.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane {

class ApprovalKey {
 public:
  // The key file holds at least 32 random bytes as hex (scripts/gen-secrets.sh
  // writes it with tradeplane-keygen secret 32).
  static absl::StatusOr<ApprovalKey> Load(const std::string& path);
  static absl::StatusOr<ApprovalKey> FromHex(std::string_view hex);

  // Fills order->approval.token (decision id, epoch and time must be set).
  void Sign(orders::v1::NewOrder* order) const;
  // OK when the token matches and the approval is at most `max_age` old.
  absl::Status Verify(const orders::v1::NewOrder& order, Timestamp now, Duration max_age) const;

 private:
  explicit ApprovalKey(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

// The text the HMAC covers (fields joined with '\n'; documented for other
// implementations in docs/security.md).
std::string ApprovalPayload(const orders::v1::NewOrder& order);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_APPROVAL_H_
