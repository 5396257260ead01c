#include "keys_command.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "tradeplane/admin/v1/services.pb.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/command_line.h"
#include "tradeplane/core/config_loader.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/json_format.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/signing/entropy_source.h"
#include "tradeplane/signing/key_policy.h"
#include "tradeplane/signing/keystore.h"

#include "keystore_file.h"
#include "secret_input.h"
#include "signer_service.h"

namespace tradeplane::signer_service {
namespace {

using signer::v1::Algorithm;
using signer::v1::KeyPurpose;

enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2 };

// libsodium's Argon2id limits for `keys init`. Not a flag on purpose: the
// default (moderate) is what a keystore should use, and tests set
// TRADEPLANE_SIGNER_KDF=minimum so that each command does not spend a
// second deriving the key (docs/reference/signer.md).
constexpr char kKdfEnv[] = "TRADEPLANE_SIGNER_KDF";
// A passphrase shorter than this is refused by `keys init`.
constexpr size_t kMinPassphraseLength = 12;

const std::vector<FlagDef> kFlags = {
    {.name = "keystore", .value_name = "PATH", .help = "the keystore file"},
    {.name = "config",
     .value_name = "FILE",
     .help = "the signer's config: keystore, passphrase_file, rotation_grace_s, key_defaults"},
    {.name = "passphrase-file",
     .value_name = "FILE",
     .help = "the keystore passphrase (else $TRADEPLANE_KEYSTORE_PASSPHRASE)"},
    {.name = "id", .value_name = "ID", .help = "the key id (1-64 of A-Z a-z 0-9 . _ : -)"},
    {.name = "alg", .value_name = "ALG", .help = "hmac-sha256, ed25519 or secp256k1"},
    {.name = "secret-file",
     .value_name = "FILE",
     .help = "the secret: HMAC secret text, Ed25519 PKCS#8 PEM or secp256k1 hex; '-' reads "
             "standard input"},
    {.name = "generate",
     .takes_value = false,
     .help = "generate the secret (Ed25519, secp256k1) instead of reading it"},
    {.name = "api-key",
     .value_name = "PUBLIC",
     .help = "the venue's API key for this key (required for HMAC)"},
    {.name = "purpose", .value_name = "PURPOSE", .help = "venue-api, evm-wallet or fix-logon"},
    {.name = "grace-s",
     .value_name = "N",
     .help = "rotate: seconds the old version keeps signing (default: the config's "
             "rotation_grace_s, else 3600)"},
    {.name = "version",
     .value_name = "N",
     .help = "export-public, set-api-key: a version (default the newest)"},
    {.name = "output", .short_name = "o", .value_name = "FORMAT", .help = "table or json"},
    {.name = "help", .short_name = "h", .takes_value = false, .help = "show this help"},
};

constexpr char kUsageText[] =
    "usage: tradeplane-signer keys COMMAND [FLAGS]\n"
    "\n"
    "  init                                   create an empty keystore\n"
    "  import --id ID --alg ALG (--secret-file F | --generate) [--api-key PUBLIC]\n"
    "         [--purpose venue-api|evm-wallet]\n"
    "  list [-o table|json]                   key metadata, never a secret\n"
    "  rotate --id ID (--secret-file F | --generate) [--api-key PUBLIC] [--grace-s N]\n"
    "  policy set --id ID FILE.yaml           the key's KeyPolicy, as YAML\n"
    "  export-public --id ID [--version N] [-o table|json]\n"
    "  set-api-key --id ID --api-key PUBLIC [--version N]\n"
    "                                         the venue's API key, once it is issued\n"
    "\n"
    "Every command needs --keystore PATH (or --config F.yaml naming it) and the passphrase\n"
    "from $TRADEPLANE_KEYSTORE_PASSPHRASE or --passphrase-file F. Secrets are read from a\n"
    "file or standard input (--secret-file -), never from the command line.\n"
    "\nflags:\n";

struct Context {
  const CommandLine* cl = nullptr;
  std::string command;            // "import", "policy set", ...
  std::vector<std::string> args;  // positional arguments after the command's words
  config::v1::SignerConfig config;
  std::string keystore;
  std::string passphrase_file;
  bool json = false;
};

int Fail(const Context& ctx, std::string_view message) {
  std::fprintf(stderr, "tradeplane-signer keys %s: %.*s\n", ctx.command.c_str(),
               static_cast<int>(message.size()), message.data());
  return kFailed;
}

int Fail(const Context& ctx, const absl::Status& status) {
  return Fail(ctx, ToStd(status.message()));
}

int UsageError(std::string_view message) {
  std::fprintf(stderr, "tradeplane-signer keys: %.*s (see tradeplane-signer keys --help)\n",
               static_cast<int>(message.size()), message.data());
  return kUsage;
}

int64_t NowNs() { return SystemClock::Instance().Now().nanos(); }

std::string FormatTime(int64_t ns) {
  return ns == 0 ? std::string("-") : FormatRfc3339(Timestamp::FromNanos(ns));
}

std::optional<Algorithm> ParseAlgorithm(std::string_view name) {
  if (name == "hmac-sha256") return signer::v1::ALGORITHM_HMAC_SHA256;
  if (name == "ed25519") return signer::v1::ALGORITHM_ED25519;
  if (name == "secp256k1") return signer::v1::ALGORITHM_SECP256K1;
  return std::nullopt;
}

std::optional<KeyPurpose> ParsePurpose(std::string_view name) {
  if (name == "venue-api") return signer::v1::KEY_PURPOSE_VENUE_API;
  if (name == "evm-wallet") return signer::v1::KEY_PURPOSE_EVM_WALLET;
  if (name == "fix-logon") return signer::v1::KEY_PURPOSE_FIX_LOGON;
  return std::nullopt;
}

absl::StatusOr<signing::KdfLimits> KdfFromEnvironment() {
  const char* value = std::getenv(kKdfEnv);
  std::string_view name = value == nullptr ? "moderate" : value;
  if (name == "moderate" || name.empty()) return signing::KdfLimits::Moderate();
  if (name == "interactive") return signing::KdfLimits::Interactive();
  if (name == "minimum") return signing::KdfLimits::Minimum();
  return absl::InvalidArgumentError(
      StrCat(kKdfEnv, " must be moderate, interactive or minimum (tests only), not '", name, "'"));
}

absl::StatusOr<signing::SecretBytes> Passphrase(const Context& ctx) {
  return ReadPassphrase(ctx.passphrase_file);
}

absl::StatusOr<signing::Keystore> OpenKeystore(const Context& ctx) {
  absl::StatusOr<std::string> file = ReadKeystoreFile(ctx.keystore);
  if (!file.ok()) return file.status();
  absl::StatusOr<signing::SecretBytes> passphrase = Passphrase(ctx);
  if (!passphrase.ok()) return passphrase.status();
  return signing::Keystore::Open(*file, *passphrase);
}

absl::Status SaveKeystore(const Context& ctx, const signing::Keystore& keystore) {
  signing::SystemEntropy entropy;
  absl::StatusOr<std::string> contents = keystore.Serialize(entropy);
  if (!contents.ok()) return contents.status();
  return WriteKeystoreFile(ctx.keystore, *contents, /*create_new=*/false);
}

// The secret for a new key or version: read (--secret-file) or generated.
absl::StatusOr<signing::KeyMaterial> ReadMaterial(const Context& ctx, Algorithm algorithm) {
  const bool generate = ctx.cl->Has("generate");
  const bool from_file = ctx.cl->Has("secret-file");
  if (generate == from_file) {
    return absl::InvalidArgumentError("give exactly one of --secret-file F and --generate");
  }
  if (generate) {
    signing::SystemEntropy entropy;
    return signing::KeyMaterial::Generate(algorithm, entropy);
  }
  absl::StatusOr<signing::SecretBytes> secret = ReadSecretInput(ctx.cl->Get("secret-file"));
  if (!secret.ok()) return secret.status();
  absl::StatusOr<signing::KeyMaterial> material;
  switch (algorithm) {
    case signer::v1::ALGORITHM_HMAC_SHA256:
      material = signing::KeyMaterial::FromHmacSecret(secret->chars());
      break;
    case signer::v1::ALGORITHM_ED25519:
      material = signing::KeyMaterial::FromEd25519Pem(secret->chars());
      break;
    case signer::v1::ALGORITHM_SECP256K1:
      material = signing::KeyMaterial::FromSecp256k1Hex(secret->chars());
      break;
    default:
      return absl::InvalidArgumentError("unknown algorithm");
  }
  if (!material.ok()) {
    return absl::Status(
        material.status().code(),
        StrCat("the secret in ",
               ctx.cl->Get("secret-file") == "-" ? std::string("standard input")
                                                 : StrCat("'", ctx.cl->Get("secret-file"), "'"),
               " is not a usable ", ShortEnumName(algorithm),
               " key: ", ToStd(material.status().message())));
  }
  return material;
}

std::string MetadataLine(const signer::v1::KeyMetadata& m) {
  return StrCat("key ", m.key_id(), " version ", m.version(), " (", ShortEnumName(m.algorithm()),
                ", ", ShortEnumName(m.purpose()), ")");
}

int Init(Context& ctx) {
  absl::StatusOr<signing::KdfLimits> limits = KdfFromEnvironment();
  if (!limits.ok()) return Fail(ctx, limits.status());
  absl::StatusOr<signing::SecretBytes> passphrase = Passphrase(ctx);
  if (!passphrase.ok()) return Fail(ctx, passphrase.status());
  if (passphrase->size() < kMinPassphraseLength) {
    return Fail(ctx,
                StrCat("the passphrase must be at least ", kMinPassphraseLength, " characters"));
  }
  signing::SystemEntropy entropy;
  absl::StatusOr<signing::Keystore> keystore =
      signing::Keystore::Create(*passphrase, *limits, entropy);
  if (!keystore.ok()) return Fail(ctx, keystore.status());
  absl::StatusOr<std::string> contents = keystore->Serialize(entropy);
  if (!contents.ok()) return Fail(ctx, contents.status());
  absl::Status written = WriteKeystoreFile(ctx.keystore, *contents, /*create_new=*/true);
  if (!written.ok()) return Fail(ctx, written);
  std::printf("created keystore %s (Argon2id, %llu passes, %llu KiB)\n", ctx.keystore.c_str(),
              static_cast<unsigned long long>(limits->opslimit),
              static_cast<unsigned long long>(limits->memlimit_bytes / 1024));
  return kOk;
}

int Import(Context& ctx) {
  std::string id = ctx.cl->Get("id");
  if (id.empty()) return UsageError("import needs --id ID");
  if (absl::Status s = signing::ValidateKeyId(id); !s.ok()) return Fail(ctx, s);
  std::optional<Algorithm> algorithm = ParseAlgorithm(ctx.cl->Get("alg"));
  if (!algorithm) return UsageError("import needs --alg hmac-sha256, ed25519 or secp256k1");
  signing::NewKey key;
  key.key_id = id;
  key.purpose = *algorithm == signer::v1::ALGORITHM_SECP256K1 ? signer::v1::KEY_PURPOSE_EVM_WALLET
                                                              : signer::v1::KEY_PURPOSE_VENUE_API;
  // The config's key_defaults entry for this id, if any, gives the purpose,
  // the policy and the API key.
  for (const signer::v1::KeyMetadata& defaults : ctx.config.key_defaults()) {
    if (defaults.key_id() != id) continue;
    if (defaults.purpose() != signer::v1::KEY_PURPOSE_UNSPECIFIED) key.purpose = defaults.purpose();
    key.policy = defaults.policy();
    key.public_id = defaults.public_id();
  }
  if (ctx.cl->Has("purpose")) {
    std::optional<KeyPurpose> purpose = ParsePurpose(ctx.cl->Get("purpose"));
    if (!purpose) return UsageError("--purpose must be venue-api, evm-wallet or fix-logon");
    key.purpose = *purpose;
  }
  if (ctx.cl->Has("api-key")) key.public_id = ctx.cl->Get("api-key");
  key.created_ns = NowNs();
  absl::StatusOr<KeystoreLock> lock = KeystoreLock::Acquire(ctx.keystore);
  if (!lock.ok()) return Fail(ctx, lock.status());
  absl::StatusOr<signing::Keystore> keystore = OpenKeystore(ctx);
  if (!keystore.ok()) return Fail(ctx, keystore.status());
  absl::StatusOr<signing::KeyMaterial> material = ReadMaterial(ctx, *algorithm);
  if (!material.ok()) return Fail(ctx, material.status());
  if (absl::Status s = keystore->AddKey(key, *std::move(material)); !s.ok()) return Fail(ctx, s);
  if (absl::Status s = SaveKeystore(ctx, *keystore); !s.ok()) return Fail(ctx, s);
  absl::StatusOr<signing::PublicKeyExport> added = keystore->ExportPublic(id);
  if (!added.ok()) return Fail(ctx, added.status());
  std::printf(
      "imported %s, public id %s\n", MetadataLine(added->metadata).c_str(),
      added->metadata.public_id().empty() ? "(none yet)" : added->metadata.public_id().c_str());
  if (key.policy.allowed_kinds().empty()) {
    std::printf(
        "its policy allows nothing yet: set one with `tradeplane-signer keys policy set "
        "--id %s FILE.yaml`\n",
        id.c_str());
  }
  return kOk;
}

int Rotate(Context& ctx) {
  std::string id = ctx.cl->Get("id");
  if (id.empty()) return UsageError("rotate needs --id ID");
  absl::StatusOr<int64_t> grace_s =
      ctx.cl->GetInt("grace-s", ctx.config.rotation_grace_s() != 0 ? ctx.config.rotation_grace_s()
                                                                   : kDefaultRotationGraceS);
  if (!grace_s.ok()) return UsageError(ToStd(grace_s.status().message()));
  if (*grace_s < 0) return UsageError("--grace-s must not be negative");
  absl::StatusOr<KeystoreLock> lock = KeystoreLock::Acquire(ctx.keystore);
  if (!lock.ok()) return Fail(ctx, lock.status());
  absl::StatusOr<signing::Keystore> keystore = OpenKeystore(ctx);
  if (!keystore.ok()) return Fail(ctx, keystore.status());
  absl::StatusOr<signing::PublicKeyExport> current = keystore->ExportPublic(id);
  if (!current.ok()) return Fail(ctx, current.status());
  absl::StatusOr<signing::KeyMaterial> material = ReadMaterial(ctx, current->metadata.algorithm());
  if (!material.ok()) return Fail(ctx, material.status());
  int64_t now = NowNs();
  if (absl::Status s = keystore->RotateKey(id, *std::move(material), ctx.cl->Get("api-key"), now,
                                           *grace_s * 1'000'000'000);
      !s.ok()) {
    return Fail(ctx, s);
  }
  if (absl::Status s = SaveKeystore(ctx, *keystore); !s.ok()) return Fail(ctx, s);
  uint32_t old_version = current->metadata.version();
  int64_t ends = 0;
  for (const signer::v1::KeyMetadata& m : keystore->List()) {
    if (m.key_id() == id && m.version() == old_version) ends = m.signing_ends_ns();
  }
  std::printf("rotated key %s: version %u signs from now; version %u verifies and signs until %s\n",
              id.c_str(), old_version + 1, old_version, FormatTime(ends).c_str());
  return kOk;
}

int PolicySet(Context& ctx) {
  std::string id = ctx.cl->Get("id");
  if (id.empty()) return UsageError("policy set needs --id ID");
  if (ctx.args.size() != 1) return UsageError("policy set needs one FILE.yaml");
  const std::string& file = ctx.args[0];
  absl::StatusOr<std::string> yaml = ReadKeystoreFile(file);  // plain file read
  if (!yaml.ok()) return Fail(ctx, StrCat("cannot read '", file, "'"));
  signer::v1::KeyPolicy policy;
  size_t slash = file.rfind('/');
  std::string dir = slash == std::string::npos ? "." : file.substr(0, slash);
  if (absl::Status s = ParseYamlConfig(*yaml, file, dir, &policy); !s.ok()) {
    return Fail(ctx, StrCat("invalid policy:\n", ToStd(s.message())));
  }
  if (absl::Status s = signing::ValidateKeyPolicy(policy); !s.ok()) {
    return Fail(ctx, StrCat("invalid policy: ", file, ": ", ToStd(s.message())));
  }
  absl::StatusOr<KeystoreLock> lock = KeystoreLock::Acquire(ctx.keystore);
  if (!lock.ok()) return Fail(ctx, lock.status());
  absl::StatusOr<signing::Keystore> keystore = OpenKeystore(ctx);
  if (!keystore.ok()) return Fail(ctx, keystore.status());
  if (absl::Status s = keystore->SetPolicy(id, policy); !s.ok()) return Fail(ctx, s);
  if (absl::Status s = SaveKeystore(ctx, *keystore); !s.ok()) return Fail(ctx, s);
  std::printf("policy of key %s set from %s\n", id.c_str(), file.c_str());
  return kOk;
}

int SetApiKey(Context& ctx) {
  std::string id = ctx.cl->Get("id");
  std::string api_key = ctx.cl->Get("api-key");
  if (id.empty() || api_key.empty())
    return UsageError("set-api-key needs --id ID --api-key PUBLIC");
  absl::StatusOr<int64_t> version = ctx.cl->GetInt("version", 0);
  if (!version.ok() || *version < 0 || *version > UINT32_MAX) {
    return UsageError("--version must be a version number");
  }
  absl::StatusOr<KeystoreLock> lock = KeystoreLock::Acquire(ctx.keystore);
  if (!lock.ok()) return Fail(ctx, lock.status());
  absl::StatusOr<signing::Keystore> keystore = OpenKeystore(ctx);
  if (!keystore.ok()) return Fail(ctx, keystore.status());
  absl::StatusOr<signing::PublicKeyExport> key =
      keystore->ExportPublic(id, static_cast<uint32_t>(*version));
  if (!key.ok()) return Fail(ctx, key.status());
  if (absl::Status s = keystore->SetPublicId(id, key->metadata.version(), api_key); !s.ok()) {
    return Fail(ctx, s);
  }
  if (absl::Status s = SaveKeystore(ctx, *keystore); !s.ok()) return Fail(ctx, s);
  std::printf("%s now has API key %s\n", MetadataLine(key->metadata).c_str(), api_key.c_str());
  return kOk;
}

int List(Context& ctx) {
  std::vector<signer::v1::KeyMetadata> keys;
  absl::StatusOr<std::string> file = ReadKeystoreFile(ctx.keystore);
  if (!file.ok()) return Fail(ctx, file.status());
  absl::StatusOr<signing::SecretBytes> passphrase = Passphrase(ctx);
  if (passphrase.ok()) {
    absl::StatusOr<signing::Keystore> keystore = signing::Keystore::Open(*file, *passphrase);
    if (!keystore.ok()) return Fail(ctx, keystore.status());
    keys = keystore->List();
  } else if (ctx.passphrase_file.empty() && absl::IsNotFound(passphrase.status())) {
    absl::StatusOr<signing::KeystoreHeader> header = signing::Keystore::ReadHeader(*file);
    if (!header.ok()) return Fail(ctx, header.status());
    keys = std::move(header->keys);
    std::fprintf(stderr,
                 "note: no passphrase given, so this metadata is not authenticated (anyone "
                 "could have edited the file)\n");
  } else {
    return Fail(ctx, passphrase.status());
  }
  if (ctx.json) {
    admin::v1::ListKeysResponse out;
    for (signer::v1::KeyMetadata& k : keys) *out.add_keys() = std::move(k);
    std::printf("%s\n", ToJson(out, {.pretty = true}).c_str());
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"KEY_ID", "VERSION", "ALGORITHM", "PURPOSE", "CREATED", "SIGNING_ENDS", "PUBLIC_ID"}};
  for (const signer::v1::KeyMetadata& k : keys) {
    rows.push_back({k.key_id(), std::to_string(k.version()),
                    std::string(ShortEnumName(k.algorithm())),
                    std::string(ShortEnumName(k.purpose())), FormatTime(k.created_ns()),
                    FormatTime(k.signing_ends_ns()), k.public_id().empty() ? "-" : k.public_id()});
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
  if (keys.empty()) std::printf("(no keys)\n");
  return kOk;
}

int ExportPublic(Context& ctx) {
  std::string id = ctx.cl->Get("id");
  if (id.empty()) return UsageError("export-public needs --id ID");
  absl::StatusOr<int64_t> version = ctx.cl->GetInt("version", 0);
  if (!version.ok() || *version < 0 || *version > UINT32_MAX) {
    return UsageError("--version must be a version number");
  }
  absl::StatusOr<signing::Keystore> keystore = OpenKeystore(ctx);
  if (!keystore.ok()) return Fail(ctx, keystore.status());
  absl::StatusOr<signing::PublicKeyExport> exported =
      keystore->ExportPublic(id, static_cast<uint32_t>(*version));
  if (!exported.ok()) return Fail(ctx, exported.status());
  const signing::PublicKeyInfo& info = exported->public_key;
  if (ctx.json) {
    std::string out = "{\n  \"key\": ";
    AppendJson(exported->metadata, {}, &out);
    out += ",\n  \"public_key_pem\": ";
    AppendJsonString(info.public_key_pem, &out);
    out += ",\n  \"public_key_hex\": ";
    AppendJsonString(info.public_key_hex, &out);
    out += ",\n  \"evm_address\": ";
    AppendJsonString(info.evm_address, &out);
    out += "\n}\n";
    std::fputs(out.c_str(), stdout);
    return kOk;
  }
  std::printf("%s\n", MetadataLine(exported->metadata).c_str());
  std::printf("public id: %s\n", exported->metadata.public_id().empty()
                                     ? "-"
                                     : exported->metadata.public_id().c_str());
  if (!info.evm_address.empty()) std::printf("address: %s\n", info.evm_address.c_str());
  if (!info.public_key_hex.empty())
    std::printf("public key (hex): %s\n", info.public_key_hex.c_str());
  if (!info.public_key_pem.empty()) {
    std::printf("public key (register this with the venue):\n%s", info.public_key_pem.c_str());
  }
  if (exported->metadata.algorithm() == signer::v1::ALGORITHM_HMAC_SHA256) {
    std::printf("an HMAC key is symmetric: it has no public key beyond its API key\n");
  }
  return kOk;
}

}  // namespace

int RunKeysCommand(int argc, char** argv) {
  absl::StatusOr<CommandLine> cl = CommandLine::Parse(argc, argv, 2, kFlags);
  if (!cl.ok()) return UsageError(ToStd(cl.status().message()));
  if (cl->Has("help") || cl->positional().empty()) {
    std::printf("%s%s", kUsageText, FlagHelp(kFlags).c_str());
    return cl->Has("help") ? kOk : kUsage;
  }
  Context ctx;
  ctx.cl = &*cl;
  const std::vector<std::string>& words = cl->positional();
  size_t consumed = 1;
  ctx.command = words[0];
  if (words[0] == "policy") {
    if (words.size() < 2 || words[1] != "set")
      return UsageError("the policy command is `policy set`");
    ctx.command = "policy set";
    consumed = 2;
  }
  ctx.args.assign(words.begin() + static_cast<ptrdiff_t>(consumed), words.end());
  if (ctx.command != "policy set" && !ctx.args.empty()) {
    return UsageError(StrCat("unexpected argument '", ctx.args.front(), "'"));
  }
  if (cl->Has("config")) {
    if (absl::Status s = LoadYamlConfigFile(cl->Get("config"), &ctx.config); !s.ok()) {
      return UsageError(StrCat("invalid config:\n", ToStd(s.message())));
    }
  }
  ctx.keystore = cl->Get("keystore", ctx.config.keystore());
  ctx.passphrase_file = cl->Get("passphrase-file", ctx.config.passphrase_file());
  if (ctx.keystore.empty()) {
    return UsageError("--keystore PATH is required (or --config FILE.yaml with a keystore)");
  }
  std::string format = cl->Get("output", "table");
  if (format != "table" && format != "json") return UsageError("-o must be table or json");
  ctx.json = format == "json";

  if (ctx.command == "init") return Init(ctx);
  if (ctx.command == "import") return Import(ctx);
  if (ctx.command == "list") return List(ctx);
  if (ctx.command == "rotate") return Rotate(ctx);
  if (ctx.command == "policy set") return PolicySet(ctx);
  if (ctx.command == "export-public") return ExportPublic(ctx);
  if (ctx.command == "set-api-key") return SetApiKey(ctx);
  return UsageError(StrCat("unknown command '", ctx.command, "'"));
}

}  // namespace tradeplane::signer_service
