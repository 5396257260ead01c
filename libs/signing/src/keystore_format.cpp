#include "keystore_format.h"

#include <charconv>
#include <set>

#include <google/protobuf/util/json_util.h>
#include <sodium.h>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/key_policy.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "sodium_init.h"
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace tradeplane::signing {
namespace {

using signer::v1::KeyMetadata;

constexpr std::string_view kKdfAlgorithm = "argon2id13";
constexpr std::string_view kAeadAlgorithm = "xchacha20poly1305-ietf";
constexpr std::string_view kCheckText = "tradeplane keystore passphrase check v1";
// Beyond these a header is not one this code wrote: refuse rather than spend
// unbounded time or memory on an altered file.
constexpr uint64_t kMaxOpslimit = 64;
constexpr uint64_t kMaxMemlimitBytes = 4ULL << 30;

absl::Status Corrupt(std::string_view what) {
  return absl::DataLossError(StrCat("keystore header: ", what));
}

absl::StatusOr<std::string> HexField(const rapidjson::Value& object, const char* name,
                                     size_t bytes) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) {
    return Corrupt(StrCat(name, " is missing"));
  }
  absl::StatusOr<std::string> decoded =
      HexDecode(std::string_view(it->value.GetString(), it->value.GetStringLength()));
  if (!decoded.ok() || decoded->size() != bytes) {
    return Corrupt(absl::StrCat(name, " must be ", bytes, " bytes of hex"));
  }
  return decoded;
}

absl::StatusOr<uint64_t> UintField(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsUint64()) {
    return Corrupt(StrCat(name, " is missing or not an unsigned integer"));
  }
  return it->value.GetUint64();
}

absl::Status ExpectString(const rapidjson::Value& object, const char* name,
                          std::string_view expected) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString() ||
      std::string_view(it->value.GetString(), it->value.GetStringLength()) != expected) {
    return Corrupt(StrCat(name, " must be \"", expected, "\""));
  }
  return absl::OkStatus();
}

const rapidjson::Value* ObjectField(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsObject()) return nullptr;
  return &it->value;
}

absl::StatusOr<KeystoreFile> ParseHeaderJson(std::string_view json, KeystoreFile file) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return Corrupt(absl::StrCat("not valid JSON at offset ", doc.GetErrorOffset(), " (",
                                rapidjson::GetParseError_En(doc.GetParseError()), ")"));
  }
  if (!doc.IsObject()) return Corrupt("not a JSON object");
  const rapidjson::Value* kdf = ObjectField(doc, "kdf");
  const rapidjson::Value* aead = ObjectField(doc, "aead");
  if (kdf == nullptr || aead == nullptr) return Corrupt("kdf or aead is missing");
  if (absl::Status s = ExpectString(*kdf, "algorithm", kKdfAlgorithm); !s.ok()) return s;
  if (absl::Status s = ExpectString(*aead, "algorithm", kAeadAlgorithm); !s.ok()) return s;
  absl::StatusOr<std::string> salt = HexField(*kdf, "salt", kKeystoreSaltBytes);
  if (!salt.ok()) return salt.status();
  absl::StatusOr<uint64_t> opslimit = UintField(*kdf, "opslimit");
  if (!opslimit.ok()) return opslimit.status();
  absl::StatusOr<uint64_t> memlimit = UintField(*kdf, "memlimit_bytes");
  if (!memlimit.ok()) return memlimit.status();
  absl::StatusOr<std::string> nonce = HexField(*aead, "nonce", kKeystoreNonceBytes);
  if (!nonce.ok()) return nonce.status();
  absl::StatusOr<std::string> check = HexField(doc, "passphrase_check", kKeystoreCheckBytes);
  if (!check.ok()) return check.status();
  file.header.kdf = KdfLimits{*opslimit, *memlimit};
  if (absl::Status s = ValidateKdfLimits(file.header.kdf); !s.ok()) {
    return Corrupt(ToStd(s.message()));
  }
  file.salt = *std::move(salt);
  file.nonce = *std::move(nonce);
  file.passphrase_check = *std::move(check);

  // Through a const view: clang finds a non-const iterator's == ambiguous
  // with its C++20 reversed form.
  const rapidjson::Value& root = doc;
  auto keys = root.FindMember("keys");
  if (keys == root.MemberEnd() || !keys->value.IsArray()) return Corrupt("keys is missing");
  std::set<std::pair<std::string, uint32_t>> seen;
  for (rapidjson::SizeType i = 0; i < keys->value.Size(); ++i) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    keys->value[i].Accept(writer);
    KeyMetadata metadata;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;  // a field this build does not know: refuse
    if (auto s = google::protobuf::util::JsonStringToMessage(
            google::protobuf::StringPiece(buffer.GetString(), buffer.GetSize()), &metadata,
            options);
        !s.ok()) {
      return Corrupt(absl::StrCat("key ", i + 1, " is not valid KeyMetadata: ",
                                  std::string(s.message().data(), s.message().size())));
    }
    if (absl::Status s = ValidateKeyMetadata(metadata); !s.ok()) {
      return Corrupt(absl::StrCat("key ", i + 1, ": ", s.message()));
    }
    if (!seen.insert({metadata.key_id(), metadata.version()}).second) {
      return Corrupt(
          StrCat("key ", metadata.key_id(), " version ", metadata.version(), " appears twice"));
    }
    file.header.keys.push_back(std::move(metadata));
  }
  return file;
}

// Splits off one newline-terminated line.
bool TakeLine(std::string_view* rest, std::string_view* line) {
  size_t end = rest->find('\n');
  if (end == std::string_view::npos) return false;
  *line = rest->substr(0, end);
  rest->remove_prefix(end + 1);
  return true;
}

}  // namespace

absl::Status ValidateKdfLimits(const KdfLimits& limits) {
  if (limits.opslimit < crypto_pwhash_OPSLIMIT_MIN || limits.opslimit > kMaxOpslimit ||
      limits.memlimit_bytes < crypto_pwhash_MEMLIMIT_MIN ||
      limits.memlimit_bytes > kMaxMemlimitBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Argon2id limits must be ", crypto_pwhash_OPSLIMIT_MIN, " to ", kMaxOpslimit,
        " passes and ", crypto_pwhash_MEMLIMIT_MIN, " to ", kMaxMemlimitBytes, " bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<KeystoreFile> ParseKeystoreFile(std::string_view file) {
  std::string_view rest = file;
  std::string_view magic;
  if (!file.starts_with(kKeystoreMagic)) {
    return absl::InvalidArgumentError("not a keystore (the first line is not TRADEPLANE-KEYSTORE)");
  }
  if (!TakeLine(&rest, &magic)) return absl::DataLossError("keystore is truncated (first line)");
  std::string_view version_text = magic.substr(kKeystoreMagic.size());
  int version = 0;
  if (!version_text.starts_with(' ') ||
      std::from_chars(version_text.data() + 1, version_text.data() + version_text.size(), version)
              .ec != std::errc() ||
      absl::StrCat(" ", version) != std::string(version_text)) {
    return absl::InvalidArgumentError("not a keystore (the first line has no format version)");
  }
  if (version != kKeystoreFormatVersion) {
    return absl::UnimplementedError(absl::StrCat("keystore format version ", version,
                                                 " is not supported (this build reads ",
                                                 kKeystoreFormatVersion, ")"));
  }
  std::string_view header;
  if (!TakeLine(&rest, &header)) return absl::DataLossError("keystore is truncated (header)");
  KeystoreFile parsed;
  parsed.header.format_version = version;
  parsed.associated_data = std::string(file.substr(0, file.size() - rest.size()));
  std::string_view secrets;
  if (!TakeLine(&rest, &secrets)) {
    return absl::DataLossError("keystore is truncated (the secrets line is missing or cut)");
  }
  if (!rest.empty()) return absl::DataLossError("keystore has bytes after the secrets line");
  absl::StatusOr<std::string> ciphertext = Base64Decode(secrets);
  if (!ciphertext.ok() || ciphertext->size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return absl::DataLossError("keystore secrets line is not valid (truncated or altered)");
  }
  parsed.ciphertext = *std::move(ciphertext);
  return ParseHeaderJson(header, std::move(parsed));
}

std::string FormatKeystoreHeader(const KdfLimits& limits, std::string_view salt,
                                 std::string_view nonce, std::string_view passphrase_check,
                                 const std::vector<KeyMetadata>& keys) {
  std::string json =
      StrCat("{\"kdf\":{\"algorithm\":\"", kKdfAlgorithm, "\",\"salt\":\"", HexEncode(salt),
             "\",\"opslimit\":", limits.opslimit, ",\"memlimit_bytes\":", limits.memlimit_bytes,
             "},\"aead\":{\"algorithm\":\"", kAeadAlgorithm, "\",\"nonce\":\"", HexEncode(nonce),
             "\"},\"passphrase_check\":\"", HexEncode(passphrase_check), "\",\"keys\":[");
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) json.push_back(',');
    std::string entry;
    // Printing a valid message cannot fail; an empty entry would fail the
    // next parse loudly rather than silently.
    (void)google::protobuf::util::MessageToJsonString(keys[i], &entry, options);
    json.append(entry);
  }
  json.append("]}");
  return json;
}

std::string FormatKeystoreFile(const KdfLimits& limits, std::string_view salt,
                               std::string_view nonce, std::string_view passphrase_check,
                               const std::vector<KeyMetadata>& keys, std::string_view ciphertext,
                               std::string* associated_data) {
  std::string file = absl::StrCat(ToAbsl(kKeystoreMagic), " ", kKeystoreFormatVersion, "\n");
  file.append(FormatKeystoreHeader(limits, salt, nonce, passphrase_check, keys));
  file.push_back('\n');
  if (associated_data != nullptr) *associated_data = file;
  file.append(Base64Encode(AsBytes(ciphertext)));
  file.push_back('\n');
  return file;
}

absl::StatusOr<SecretBytes> DeriveKeystoreKey(const SecretBytes& passphrase, std::string_view salt,
                                              const KdfLimits& limits) {
  if (absl::Status s = EnsureSodiumInitialized(); !s.ok()) return s;
  if (passphrase.empty()) return absl::InvalidArgumentError("the passphrase must not be empty");
  if (absl::Status s = ValidateKdfLimits(limits); !s.ok()) return s;
  if (salt.size() != kKeystoreSaltBytes) return absl::InvalidArgumentError("bad salt length");
  absl::StatusOr<SecretBytes> key = SecretBytes::Allocate(kKeystoreKeyBytes);
  if (!key.ok()) return key.status();
  if (crypto_pwhash(key->data(), key->size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                    limits.opslimit, limits.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError(
        absl::StrCat("Argon2id could not run with ", limits.memlimit_bytes, " bytes of memory"));
  }
  return key;
}

std::string PassphraseCheck(const SecretBytes& key) {
  std::string check(kKeystoreCheckBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(check.data()), check.size(),
                     reinterpret_cast<const unsigned char*>(kCheckText.data()), kCheckText.size(),
                     key.data(), key.size());
  return check;
}

absl::Status ValidateKeyMetadata(const KeyMetadata& metadata) {
  if (absl::Status s = ValidateKeyId(metadata.key_id()); !s.ok()) return s;
  if (metadata.version() == 0) return absl::InvalidArgumentError("version must be 1 or more");
  const signer::v1::Algorithm algorithm = metadata.algorithm();
  const signer::v1::KeyPurpose purpose = metadata.purpose();
  bool pairs = false;
  switch (purpose) {
    case signer::v1::KEY_PURPOSE_VENUE_API:
      pairs = algorithm == signer::v1::ALGORITHM_HMAC_SHA256 ||
              algorithm == signer::v1::ALGORITHM_ED25519;
      break;
    case signer::v1::KEY_PURPOSE_EVM_WALLET:
      pairs = algorithm == signer::v1::ALGORITHM_SECP256K1;
      break;
    case signer::v1::KEY_PURPOSE_FIX_LOGON:
      pairs = algorithm == signer::v1::ALGORITHM_ED25519;
      break;
    default:
      return absl::InvalidArgumentError(
          StrCat("key ", metadata.key_id(), " has no purpose (VENUE_API, EVM_WALLET, FIX_LOGON)"));
  }
  if (!pairs) {
    return absl::InvalidArgumentError(
        StrCat("key ", metadata.key_id(), ": purpose ", ShortEnumName(purpose),
               " does not take algorithm ", ShortEnumName(algorithm),
               " (VENUE_API: HMAC_SHA256 or ED25519; EVM_WALLET: SECP256K1; FIX_LOGON: ED25519)"));
  }
  if (absl::Status s = ValidateKeyPolicy(metadata.policy()); !s.ok()) {
    return absl::InvalidArgumentError(
        StrCat("key ", metadata.key_id(), " policy: ", ToStd(s.message())));
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::signing
