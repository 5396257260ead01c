// The keystore file's layout: parsing and producing its three lines, the
// KDF and the passphrase check. Keystore (keystore.cpp) holds the operations.
#ifndef TRADEPLANE_SIGNING_KEYSTORE_FORMAT_H_
#define TRADEPLANE_SIGNING_KEYSTORE_FORMAT_H_

#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/signing/keystore.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

inline constexpr std::string_view kKeystoreMagic = "TRADEPLANE-KEYSTORE";
inline constexpr size_t kKeystoreSaltBytes = 16;   // crypto_pwhash_SALTBYTES
inline constexpr size_t kKeystoreNonceBytes = 24;  // XChaCha20-Poly1305 IETF nonce
inline constexpr size_t kKeystoreCheckBytes = 16;
inline constexpr size_t kKeystoreKeyBytes = 32;

struct KeystoreFile {
  KeystoreHeader header;
  std::string salt;
  std::string nonce;
  std::string passphrase_check;
  std::string associated_data;  // the first two lines, newlines included
  std::string ciphertext;
};

absl::StatusOr<KeystoreFile> ParseKeystoreFile(std::string_view file);

// The whole file.
std::string FormatKeystoreFile(const KdfLimits& limits, std::string_view salt,
                               std::string_view nonce, std::string_view passphrase_check,
                               const std::vector<signer::v1::KeyMetadata>& keys,
                               std::string_view ciphertext, std::string* associated_data);

// The header line alone (what the ciphertext authenticates with the magic line).
std::string FormatKeystoreHeader(const KdfLimits& limits, std::string_view salt,
                                 std::string_view nonce, std::string_view passphrase_check,
                                 const std::vector<signer::v1::KeyMetadata>& keys);

absl::Status ValidateKdfLimits(const KdfLimits& limits);
absl::StatusOr<SecretBytes> DeriveKeystoreKey(const SecretBytes& passphrase, std::string_view salt,
                                              const KdfLimits& limits);
// A keyed BLAKE2b of a fixed text under the derived key: tells a wrong
// passphrase apart from an altered file without revealing anything usable.
std::string PassphraseCheck(const SecretBytes& key);

// Identity, algorithm/purpose pairing, version and policy of one entry.
absl::Status ValidateKeyMetadata(const signer::v1::KeyMetadata& metadata);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_KEYSTORE_FORMAT_H_
