#include "tradeplane/signing/keystore.h"

#include <algorithm>
#include <cstring>

#include <sodium.h>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/key_policy.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "keystore_format.h"
#include "sodium_init.h"

namespace tradeplane::signing {
namespace {

using signer::v1::KeyMetadata;

void PutU32(uint32_t v, uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * (3 - i)));
}

uint32_t GetU32(const uint8_t* in) {
  return (uint32_t{in[0]} << 24) | (uint32_t{in[1]} << 16) | (uint32_t{in[2]} << 8) | in[3];
}

absl::Status FillDefaultPublicId(const KeyMaterial& material, std::string* public_id) {
  if (!public_id->empty()) return absl::OkStatus();
  if (material.algorithm() == signer::v1::ALGORITHM_HMAC_SHA256) {
    return absl::InvalidArgumentError(
        "an HMAC key needs its API key (public_id): the venue issues both together");
  }
  if (material.algorithm() == signer::v1::ALGORITHM_SECP256K1) {
    absl::StatusOr<PublicKeyInfo> info = material.PublicInfo();
    if (!info.ok()) return info.status();
    *public_id = info->evm_address;
  }
  return absl::OkStatus();
}

}  // namespace

KdfLimits KdfLimits::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
KdfLimits KdfLimits::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
KdfLimits KdfLimits::Minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

absl::Status ValidateKeyId(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > 64) {
    return absl::InvalidArgumentError("a key id is 1 to 64 characters");
  }
  for (char c : key_id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) {
      return absl::InvalidArgumentError(
          StrCat("key id ", key_id, " may contain only letters, digits and . _ : -"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Keystore> Keystore::Create(const SecretBytes& passphrase, KdfLimits limits,
                                          EntropySource& entropy) {
  std::string salt(kKeystoreSaltBytes, '\0');
  entropy.Fill(std::span(reinterpret_cast<uint8_t*>(salt.data()), salt.size()));
  absl::StatusOr<SecretBytes> key = DeriveKeystoreKey(passphrase, salt, limits);
  if (!key.ok()) return key.status();
  return Keystore(limits, std::move(salt), *std::move(key));
}

absl::StatusOr<KeystoreHeader> Keystore::ReadHeader(std::string_view file) {
  absl::StatusOr<KeystoreFile> parsed = ParseKeystoreFile(file);
  if (!parsed.ok()) return parsed.status();
  return std::move(parsed->header);
}

absl::StatusOr<Keystore> Keystore::Open(std::string_view file, const SecretBytes& passphrase) {
  absl::StatusOr<KeystoreFile> parsed = ParseKeystoreFile(file);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<SecretBytes> key = DeriveKeystoreKey(passphrase, parsed->salt, parsed->header.kdf);
  if (!key.ok()) return key.status();
  std::string check = PassphraseCheck(*key);
  if (sodium_memcmp(check.data(), parsed->passphrase_check.data(), check.size()) != 0) {
    return absl::PermissionDeniedError(
        "wrong passphrase for this keystore (or its KDF parameters were altered)");
  }
  const std::string& ciphertext = parsed->ciphertext;
  absl::StatusOr<SecretBytes> plaintext =
      SecretBytes::Allocate(ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  if (!plaintext.ok()) return plaintext.status();
  unsigned long long plaintext_length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plaintext->data(), &plaintext_length, nullptr,
          reinterpret_cast<const unsigned char*>(ciphertext.data()), ciphertext.size(),
          reinterpret_cast<const unsigned char*>(parsed->associated_data.data()),
          parsed->associated_data.size(),
          reinterpret_cast<const unsigned char*>(parsed->nonce.data()), key->data()) != 0) {
    return absl::DataLossError(
        "keystore was altered: its metadata or secrets do not authenticate under this "
        "passphrase");
  }
  Keystore store(parsed->header.kdf, parsed->salt, *std::move(key));
  // The plaintext is, per key in header order: u32 big-endian length, bytes.
  const uint8_t* at = plaintext->data();
  const uint8_t* end = at + plaintext_length;
  for (KeyMetadata& metadata : parsed->header.keys) {
    if (end - at < 4 || static_cast<size_t>(end - at - 4) < GetU32(at)) {
      return absl::DataLossError("keystore secrets do not match its key list");
    }
    uint32_t length = GetU32(at);
    absl::StatusOr<KeyMaterial> material =
        KeyMaterial::FromStored(metadata.algorithm(), std::span(at + 4, length));
    if (!material.ok()) {
      return absl::DataLossError(StrCat("keystore secret of key ", metadata.key_id(), " version ",
                                        metadata.version(),
                                        " is not usable: ", ToStd(material.status().message())));
    }
    at += 4 + length;
    store.entries_.push_back(Entry{std::move(metadata), *std::move(material)});
  }
  if (at != end) return absl::DataLossError("keystore secrets do not match its key list");
  store.Sort();
  return store;
}

absl::StatusOr<std::string> Keystore::Serialize(EntropySource& entropy) const {
  size_t total = 0;
  std::vector<KeyMetadata> keys;
  keys.reserve(entries_.size());
  for (const Entry& e : entries_) {
    total += 4 + e.material.stored().size();
    keys.push_back(e.metadata);
  }
  absl::StatusOr<SecretBytes> plaintext = SecretBytes::Allocate(total);
  if (!plaintext.ok()) return plaintext.status();
  uint8_t* at = plaintext->data();
  for (const Entry& e : entries_) {
    const SecretBytes& stored = e.material.stored();
    PutU32(static_cast<uint32_t>(stored.size()), at);
    if (!stored.empty()) std::memcpy(at + 4, stored.data(), stored.size());
    at += 4 + stored.size();
  }
  std::string nonce(kKeystoreNonceBytes, '\0');
  entropy.Fill(std::span(reinterpret_cast<uint8_t*>(nonce.data()), nonce.size()));
  std::string check = PassphraseCheck(key_);
  std::string associated_data;
  // The associated data is the file's first two lines; format them first,
  // then encrypt, then put the ciphertext after them.
  FormatKeystoreFile(limits_, salt_, nonce, check, keys, "", &associated_data);
  std::string ciphertext(total + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long ciphertext_length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(ciphertext.data()), &ciphertext_length, plaintext->data(),
      plaintext->size(), reinterpret_cast<const unsigned char*>(associated_data.data()),
      associated_data.size(), nullptr, reinterpret_cast<const unsigned char*>(nonce.data()),
      key_.data());
  ciphertext.resize(ciphertext_length);
  return FormatKeystoreFile(limits_, salt_, nonce, check, keys, ciphertext, nullptr);
}

void Keystore::Sort() {
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.metadata.key_id() != b.metadata.key_id())
      return a.metadata.key_id() < b.metadata.key_id();
    return a.metadata.version() < b.metadata.version();
  });
}

Keystore::Entry* Keystore::Newest(std::string_view key_id) {
  Entry* newest = nullptr;
  for (Entry& e : entries_) {
    if (e.metadata.key_id() == key_id &&
        (newest == nullptr || e.metadata.version() > newest->metadata.version())) {
      newest = &e;
    }
  }
  return newest;
}

absl::Status Keystore::AddKey(const NewKey& key, KeyMaterial material) {
  if (Newest(key.key_id) != nullptr) {
    return absl::AlreadyExistsError(
        StrCat("key ", key.key_id, " exists: rotate it, or choose another id"));
  }
  KeyMetadata metadata;
  metadata.set_key_id(key.key_id);
  metadata.set_version(1);
  metadata.set_algorithm(material.algorithm());
  metadata.set_purpose(key.purpose);
  metadata.set_created_ns(key.created_ns);
  *metadata.mutable_policy() = key.policy;
  std::string public_id = key.public_id;
  if (absl::Status s = FillDefaultPublicId(material, &public_id); !s.ok()) return s;
  metadata.set_public_id(public_id);
  if (absl::Status s = ValidateKeyMetadata(metadata); !s.ok()) return s;
  entries_.push_back(Entry{std::move(metadata), std::move(material)});
  Sort();
  return absl::OkStatus();
}

absl::Status Keystore::RotateKey(std::string_view key_id, KeyMaterial material,
                                 std::string public_id, int64_t now_ns, int64_t grace_ns) {
  Entry* current = Newest(key_id);
  if (current == nullptr) return absl::NotFoundError(StrCat("no key ", key_id));
  if (grace_ns < 0) return absl::InvalidArgumentError("the grace period must not be negative");
  if (material.algorithm() != current->metadata.algorithm()) {
    return absl::InvalidArgumentError(
        StrCat("key ", key_id, " is ", ShortEnumName(current->metadata.algorithm()),
               "; a rotation keeps the algorithm (add a new key id to change it)"));
  }
  if (now_ns < current->metadata.created_ns()) {
    return absl::InvalidArgumentError("a rotation cannot precede the current version's creation");
  }
  for (const Entry& e : entries_) {
    if (e.metadata.key_id() == key_id &&
        e.material.stored().ConstantTimeEquals(material.stored().bytes())) {
      return absl::InvalidArgumentError(StrCat("the new secret is the secret of version ",
                                               e.metadata.version(),
                                               ": a rotation needs a new one"));
    }
  }
  if (absl::Status s = FillDefaultPublicId(material, &public_id); !s.ok()) return s;
  KeyMetadata next = current->metadata;
  next.set_version(current->metadata.version() + 1);
  next.set_created_ns(now_ns);
  next.set_rotated_ns(0);
  next.set_signing_ends_ns(0);
  next.set_public_id(public_id);
  int64_t grace_end = now_ns > INT64_MAX - grace_ns ? INT64_MAX : now_ns + grace_ns;
  current->metadata.set_rotated_ns(now_ns);
  if (current->metadata.signing_ends_ns() == 0 || current->metadata.signing_ends_ns() > grace_end) {
    current->metadata.set_signing_ends_ns(grace_end);
  }
  entries_.push_back(Entry{std::move(next), std::move(material)});
  Sort();
  return absl::OkStatus();
}

absl::Status Keystore::SetPolicy(std::string_view key_id, const signer::v1::KeyPolicy& policy) {
  if (absl::Status s = ValidateKeyPolicy(policy); !s.ok()) return s;
  bool found = false;
  for (Entry& e : entries_) {
    if (e.metadata.key_id() == key_id) {
      *e.metadata.mutable_policy() = policy;
      found = true;
    }
  }
  return found ? absl::OkStatus() : absl::NotFoundError(StrCat("no key ", key_id));
}

absl::Status Keystore::SetPublicId(std::string_view key_id, uint32_t version,
                                   std::string public_id) {
  for (Entry& e : entries_) {
    if (e.metadata.key_id() == key_id && e.metadata.version() == version) {
      if (public_id.empty()) return absl::InvalidArgumentError("public_id must not be empty");
      e.metadata.set_public_id(std::move(public_id));
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError(StrCat("no key ", key_id, " version ", version));
}

absl::Status Keystore::RetireKey(std::string_view key_id, int64_t signing_ends_ns) {
  Entry* current = Newest(key_id);
  if (current == nullptr) return absl::NotFoundError(StrCat("no key ", key_id));
  if (signing_ends_ns <= 0) return absl::InvalidArgumentError("signing_ends_ns must be set");
  current->metadata.set_signing_ends_ns(signing_ends_ns);
  return absl::OkStatus();
}

absl::Status Keystore::ChangePassphrase(const SecretBytes& passphrase, KdfLimits limits,
                                        EntropySource& entropy) {
  std::string salt(kKeystoreSaltBytes, '\0');
  entropy.Fill(std::span(reinterpret_cast<uint8_t*>(salt.data()), salt.size()));
  absl::StatusOr<SecretBytes> key = DeriveKeystoreKey(passphrase, salt, limits);
  if (!key.ok()) return key.status();
  limits_ = limits;
  salt_ = std::move(salt);
  key_ = *std::move(key);
  return absl::OkStatus();
}

std::vector<KeyMetadata> Keystore::List() const {
  std::vector<KeyMetadata> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.metadata);
  return out;
}

absl::StatusOr<PublicKeyExport> Keystore::ExportPublic(std::string_view key_id,
                                                       uint32_t version) const {
  const Entry* chosen = nullptr;
  for (const Entry& e : entries_) {
    if (e.metadata.key_id() != key_id) continue;
    if (version != 0 ? e.metadata.version() == version
                     : chosen == nullptr || e.metadata.version() > chosen->metadata.version()) {
      chosen = &e;
    }
  }
  if (chosen == nullptr) {
    return absl::NotFoundError(version == 0 ? StrCat("no key ", key_id)
                                            : StrCat("no key ", key_id, " version ", version));
  }
  absl::StatusOr<PublicKeyInfo> info = chosen->material.PublicInfo();
  if (!info.ok()) return info.status();
  return PublicKeyExport{chosen->metadata, *std::move(info)};
}

}  // namespace tradeplane::signing
