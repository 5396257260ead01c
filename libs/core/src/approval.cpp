#include "tradeplane/core/approval.h"

#include <fstream>
#include <sstream>

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane {
namespace {

std::string Hmac(const std::string& key, const std::string& data) {
  unsigned char out[32];
  unsigned int len = sizeof(out);
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ApprovalPayload(const orders::v1::NewOrder& o) {
  return StrCat("tradeplane-approval-v1\n", o.client_order_id(), "\n", o.strategy_id(), "\n",
                ShortEnumName(o.instrument().venue()), "\n", o.instrument().symbol(), "\n",
                ShortEnumName(o.side()), "\n", ShortEnumName(o.order_type()), "\n",
                ShortEnumName(o.time_in_force()), "\n", o.qty(), "\n", o.price(), "\n",
                o.reduce_only() ? "1" : "0", "\n", o.intent_id(), "\n", o.approval().decision_id(),
                "\n", o.approval().fencing_epoch(), "\n", o.approval().approved_ns());
}

absl::StatusOr<ApprovalKey> ApprovalKey::FromHex(std::string_view hex) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) {
    hex.remove_suffix(1);
  }
  if (hex.size() < 64 || hex.size() % 2 != 0) {
    return absl::InvalidArgumentError("the approval key must be at least 32 bytes of hex");
  }
  std::string key;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]), lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return absl::InvalidArgumentError("the approval key is not hex");
    key.push_back(static_cast<char>(hi << 4 | lo));
  }
  return ApprovalKey(std::move(key));
}

absl::StatusOr<ApprovalKey> ApprovalKey::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(StrCat("cannot read the approval key file '", path, "'"));
  std::stringstream s;
  s << in.rdbuf();
  absl::StatusOr<ApprovalKey> key = FromHex(s.str());
  if (!key.ok())
    return absl::InvalidArgumentError(StrCat(path, ": ", ToStd(key.status().message())));
  return key;
}

void ApprovalKey::Sign(orders::v1::NewOrder* order) const {
  order->mutable_approval()->set_token(Hmac(key_, ApprovalPayload(*order)));
}

absl::Status ApprovalKey::Verify(const orders::v1::NewOrder& order, Timestamp now,
                                 Duration max_age) const {
  if (!order.has_approval() || order.approval().token().empty()) {
    return absl::PermissionDeniedError("the order carries no risk approval");
  }
  std::string expected = Hmac(key_, ApprovalPayload(order));
  const std::string& token = order.approval().token();
  if (token.size() != expected.size() ||
      CRYPTO_memcmp(token.data(), expected.data(), expected.size()) != 0) {
    return absl::PermissionDeniedError("the risk approval does not match the order");
  }
  Duration age = now - Timestamp::FromNanos(order.approval().approved_ns());
  if (age > max_age) {
    return absl::PermissionDeniedError(StrCat("the risk approval is ", age.count() / 1'000'000,
                                              " ms old (limit ", max_age.count() / 1'000'000,
                                              " ms)"));
  }
  return absl::OkStatus();
}

}  // namespace tradeplane
