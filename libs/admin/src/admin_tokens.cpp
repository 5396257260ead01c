#include "tradeplane/admin/admin_tokens.h"

#include <cstdlib>
#include <fstream>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::admin {
namespace {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '@';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::Status AdminTokens::Add(std::string_view token, std::string_view where) {
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.remove_suffix(1);
  size_t colon = token.find(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        StrCat(where, ": an admin token is 'name:secret' (no ':' found)"));
  }
  std::string_view name = token.substr(0, colon), secret = token.substr(colon + 1);
  if (!ValidName(name)) {
    return absl::InvalidArgumentError(
        StrCat(where, ": token name must be 1-64 characters of [A-Za-z0-9._@-]"));
  }
  if (secret.size() < 16) {
    return absl::InvalidArgumentError(
        StrCat(where, ": the secret of token '", name, "' is shorter than 16 characters"));
  }
  secrets_[std::string(name)] = std::string(secret);
  return absl::OkStatus();
}

absl::StatusOr<AdminTokens> AdminTokens::Load(const std::string& file) {
  AdminTokens tokens;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return absl::NotFoundError(StrCat("cannot open admin token file '", file, "'"));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.empty() || line[0] == '#') continue;
      absl::Status s = tokens.Add(line, StrCat(file, ":", n));
      if (!s.ok()) return s;
    }
  }
  if (const char* env = std::getenv(kAdminTokenEnv); env != nullptr && *env != '\0') {
    absl::Status s = tokens.Add(env, kAdminTokenEnv);
    if (!s.ok()) return s;
  }
  return tokens;
}

absl::StatusOr<std::string> AdminTokens::Authenticate(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization.starts_with(kBearer)) {
    return absl::UnauthenticatedError("missing 'authorization: Bearer name:secret'");
  }
  std::string_view token = authorization.substr(kBearer.size());
  size_t colon = token.find(':');
  if (colon == std::string_view::npos) {
    return absl::UnauthenticatedError("the admin token is not 'name:secret'");
  }
  auto it = secrets_.find(std::string(token.substr(0, colon)));
  // Compare even for unknown names so timing says nothing about which exist.
  std::string_view expected =
      it == secrets_.end() ? std::string_view("no-such-token-name") : it->second;
  bool match = ConstantTimeEquals(token.substr(colon + 1), expected);
  if (it == secrets_.end() || !match) return absl::UnauthenticatedError("invalid admin token");
  return it->first;
}

}  // namespace tradeplane::admin
