#include "caller_names.h"

#include <algorithm>
#include <fstream>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::signer_service {

absl::StatusOr<CallerNames> CallerNames::Create(const config::v1::SignerConfig& config) {
  CallerNames names;
  for (const auto& [key, caller] : config.client_names()) {
    if (caller.empty()) {
      return absl::InvalidArgumentError(StrCat("client_names[", key, "]: an empty caller name"));
    }
    names.client_names_[key] = caller;
  }
  const config::v1::CurveConfig& curve = config.server().curve();
  std::vector<std::string> entries(curve.allowed_client_keys().begin(),
                                   curve.allowed_client_keys().end());
  if (!curve.allowed_clients_file().empty()) {
    // The bus reads the same file with the same rules (one "name:<z85>" or
    // bare key per line, '#' comments, spaces ignored).
    std::ifstream in(curve.allowed_clients_file());
    if (!in) {
      return absl::InvalidArgumentError(StrCat("server.curve.allowed_clients_file: cannot read '",
                                               curve.allowed_clients_file(), "'"));
    }
    std::string line;
    while (std::getline(in, line)) {
      std::erase_if(line, [](char c) { return c == ' ' || c == '\r' || c == '\t'; });
      if (!line.empty() && line[0] != '#') entries.push_back(line);
    }
  }
  for (const std::string& entry : entries) {
    size_t colon = entry.find(':');
    if (colon == std::string::npos) {
      names.key_of_name_[entry] = entry;
    } else {
      names.key_of_name_[entry.substr(0, colon)] = entry.substr(colon + 1);
    }
  }
  return names;
}

std::optional<std::string> CallerNames::Resolve(std::string_view authenticated,
                                                std::string_view claimed) const {
  if (authenticated.empty()) {
    if (restricted()) return std::nullopt;
    // Only on a socket the config explicitly left without CURVE.
    return claimed.empty() ? std::string("unauthenticated")
                           : StrCat("unauthenticated:", claimed.substr(0, 64));
  }
  if (!restricted()) return std::string(authenticated);
  if (auto key = key_of_name_.find(authenticated); key != key_of_name_.end()) {
    if (auto by_key = client_names_.find(key->second); by_key != client_names_.end()) {
      return by_key->second;
    }
  }
  if (auto by_name = client_names_.find(authenticated); by_name != client_names_.end()) {
    return by_name->second;
  }
  return std::nullopt;
}

}  // namespace tradeplane::signer_service
