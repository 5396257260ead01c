// Named bearer tokens for the admin plane: "name:secret", so every call and
// every audit record says who. Tokens come from a file (one per line, '#'
// comments) and from TRADEPLANE_ADMIN_TOKEN.
#ifndef TRADEPLANE_ADMIN_ADMIN_TOKENS_H_
#define TRADEPLANE_ADMIN_ADMIN_TOKENS_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane::admin {

inline constexpr char kAdminTokenEnv[] = "TRADEPLANE_ADMIN_TOKEN";

class AdminTokens {
 public:
  // Reads `file` (may be empty: none) and the environment variable. An
  // unreadable file or a malformed line is an error naming the line (never
  // the secret).
  static absl::StatusOr<AdminTokens> Load(const std::string& file);
  // One "name:secret" token; for tests and the env variable.
  absl::Status Add(std::string_view token, std::string_view where);

  // The name for an "authorization" header value ("Bearer name:secret"), or
  // UNAUTHENTICATED. Comparison is constant-time in the secret.
  absl::StatusOr<std::string> Authenticate(std::string_view authorization) const;
  bool empty() const { return secrets_.empty(); }
  size_t size() const { return secrets_.size(); }

 private:
  std::map<std::string, std::string> secrets_;  // name -> secret
};

}  // namespace tradeplane::admin

#endif  // TRADEPLANE_ADMIN_ADMIN_TOKENS_H_
