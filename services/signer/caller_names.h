// Who is asking: the CURVE-authenticated client, turned into the name the
// audit records.
//
// The bus gives each request the client's name from the server's allow-list
// ("execution:<z85>" names the key "execution"; a bare key is its own name).
// SignerConfig.client_names maps a client's CURVE public key (Z85), or its
// allow-list name, to the audit's caller name. When that map is not empty it
// is also the list of clients the signer serves: anyone else is refused with
// SIGN_REFUSAL_UNKNOWN_CLIENT, including every client of a socket without
// CURVE (nobody is authenticated there).
#ifndef TRADEPLANE_SERVICES_SIGNER_CALLER_NAMES_H_
#define TRADEPLANE_SERVICES_SIGNER_CALLER_NAMES_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tradeplane/config/v1/services.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::signer_service {

class CallerNames {
 public:
  // Reads the server socket's allow-list (keys and file) to learn each
  // name's key.
  static absl::StatusOr<CallerNames> Create(const config::v1::SignerConfig& config);

  // The audit's caller for a request, or nullopt when the caller is not to
  // be served. `authenticated` is empty without CURVE; `claimed` is what the
  // client says it is (not proof, recorded as such).
  std::optional<std::string> Resolve(std::string_view authenticated,
                                     std::string_view claimed) const;

  bool restricted() const { return !client_names_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> client_names_;  // key or name -> caller
  std::map<std::string, std::string, std::less<>> key_of_name_;   // allow-list name -> key
};

}  // namespace tradeplane::signer_service

#endif  // TRADEPLANE_SERVICES_SIGNER_CALLER_NAMES_H_
