// A client order id stored inline (no heap), so that accepting an order
// allocates nothing after warm-up.
#ifndef TRADEPLANE_MATCHING_CLIENT_ORDER_ID_H_
#define TRADEPLANE_MATCHING_CLIENT_ORDER_ID_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "tradeplane/core/ids.h"
#include "tradeplane/core/str_cat.h"

#include "absl/status/statusor.h"

namespace tradeplane::matching {

class ClientOrderId {
 public:
  static constexpr size_t kCapacity = kMaxClientOrderIdLength;  // 36, Binance's limit

  ClientOrderId() = default;

  // Refuses what ValidateClientOrderId refuses (empty, too long, bad characters).
  static absl::StatusOr<ClientOrderId> Make(std::string_view text);

  std::string_view view() const { return std::string_view(data_, size_); }
  std::string ToString() const { return std::string(view()); }
  bool empty() const { return size_ == 0; }

  friend bool operator==(const ClientOrderId& a, const ClientOrderId& b) {
    return a.view() == b.view();
  }
  template <typename H>
  friend H AbslHashValue(H h, const ClientOrderId& id) {
    return H::combine(std::move(h), ToAbsl(id.view()));
  }

 private:
  char data_[kCapacity] = {};
  uint8_t size_ = 0;
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_CLIENT_ORDER_ID_H_
