// The signer's keystore, as bytes in and bytes out: the service reads and
// writes the file, this class only parses and produces its content. The
// format is documented in docs/reference/keystore-format.md:
//
//   TRADEPLANE-KEYSTORE 1\n
//   {header JSON: KDF parameters and salt, AEAD nonce, passphrase check,
//    per-key metadata (readable without the passphrase)}\n
//   base64(XChaCha20-Poly1305 ciphertext of the secrets)\n
//
// The key is Argon2id(passphrase, salt); the first two lines are the
// associated data, so no byte of the metadata (ids, algorithms, policies,
// signing_ends...) can change without the next Open failing.
//
// Errors say what is wrong (wrong passphrase, altered or truncated file,
// unknown format version) and never contain a secret.
#ifndef TRADEPLANE_SIGNING_KEYSTORE_H_
#define TRADEPLANE_SIGNING_KEYSTORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/entropy_source.h"
#include "tradeplane/signing/key_material.h"
#include "tradeplane/signing/secret_bytes.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::signing {

inline constexpr int kKeystoreFormatVersion = 1;

// Argon2id cost, stored in the header so a file opens with the cost it was
// written with.
struct KdfLimits {
  uint64_t opslimit = 0;
  uint64_t memlimit_bytes = 0;

  static KdfLimits Moderate();     // libsodium MODERATE: 3 passes, 256 MiB (the default)
  static KdfLimits Interactive();  // libsodium INTERACTIVE: 2 passes, 64 MiB
  static KdfLimits Minimum();      // libsodium MIN: 1 pass, 8 KiB; for tests only
};

// A new key's identity and rules (its secret comes separately).
struct NewKey {
  // 1 to 64 of [A-Za-z0-9._:-]; '@' is reserved (SignRequest "id@version").
  std::string key_id;
  signer::v1::KeyPurpose purpose = signer::v1::KEY_PURPOSE_UNSPECIFIED;
  // The venue's API key. Required for HMAC keys (issued with the secret);
  // may be set later for Ed25519 (Binance issues it after the public key is
  // registered); defaults to the EIP-55 address for secp256k1.
  std::string public_id;
  signer::v1::KeyPolicy policy;
  int64_t created_ns = 0;
};

// The clear-text part of a keystore file. Read without the passphrase it is
// not authenticated: Open is what proves it unaltered.
struct KeystoreHeader {
  int format_version = 0;
  KdfLimits kdf;
  std::vector<signer::v1::KeyMetadata> keys;
};

struct PublicKeyExport {
  signer::v1::KeyMetadata metadata;
  PublicKeyInfo public_key;
};

class Keystore {
 public:
  struct Entry {
    signer::v1::KeyMetadata metadata;
    KeyMaterial material;
  };

  // An empty keystore under `passphrase`.
  static absl::StatusOr<Keystore> Create(const SecretBytes& passphrase, KdfLimits limits,
                                         EntropySource& entropy);
  static absl::StatusOr<Keystore> Open(std::string_view file, const SecretBytes& passphrase);
  // The metadata, without the passphrase (unauthenticated, see KeystoreHeader).
  static absl::StatusOr<KeystoreHeader> ReadHeader(std::string_view file);

  // The file's bytes, under a fresh nonce.
  absl::StatusOr<std::string> Serialize(EntropySource& entropy) const;

  // Version 1 of a new key id.
  absl::Status AddKey(const NewKey& key, KeyMaterial material);
  // A new version of `key_id` with the same algorithm, purpose and policy.
  // The previous newest version is marked rotated at now_ns and signs until
  // now_ns + grace_ns (earlier if it was already set to end sooner); older
  // versions keep their public keys, so past signatures still verify.
  absl::Status RotateKey(std::string_view key_id, KeyMaterial material, std::string public_id,
                         int64_t now_ns, int64_t grace_ns);
  // Every version of the key gets the policy (checked by ValidateKeyPolicy).
  absl::Status SetPolicy(std::string_view key_id, const signer::v1::KeyPolicy& policy);
  absl::Status SetPublicId(std::string_view key_id, uint32_t version, std::string public_id);
  // The newest version stops signing at signing_ends_ns (a key taken out of
  // service without a successor).
  absl::Status RetireKey(std::string_view key_id, int64_t signing_ends_ns);
  absl::Status ChangePassphrase(const SecretBytes& passphrase, KdfLimits limits,
                                EntropySource& entropy);

  std::vector<signer::v1::KeyMetadata> List() const;
  // version 0: the newest. Never contains a secret.
  absl::StatusOr<PublicKeyExport> ExportPublic(std::string_view key_id, uint32_t version = 0) const;

  // Sorted by key id, then version.
  const std::vector<Entry>& entries() const { return entries_; }
  const KdfLimits& kdf_limits() const { return limits_; }

 private:
  Keystore(KdfLimits limits, std::string salt, SecretBytes key)
      : limits_(limits), salt_(std::move(salt)), key_(std::move(key)) {}
  Entry* Newest(std::string_view key_id);
  void Sort();

  KdfLimits limits_;
  std::string salt_;  // Argon2id salt, 16 bytes
  SecretBytes key_;   // the derived XChaCha20-Poly1305 key
  std::vector<Entry> entries_;
};

// 1 to 64 of [A-Za-z0-9._:-].
absl::Status ValidateKeyId(std::string_view key_id);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_KEYSTORE_H_
