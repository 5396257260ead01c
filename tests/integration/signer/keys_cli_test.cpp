// `tradeplane-signer keys ...` end to end, as an operator runs it.
#include <catch2/catch.hpp>

#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

#include "signer_fixture.h"
#include <sys/stat.h>

namespace tradeplane::signer_test {
namespace {

using testing::CommandResult;

// The PKCS#8 DER of an Ed25519 key is this 16-byte prefix and the 32-byte
// seed (RFC 8410), so the seed can be read out of the PEM to search for it.
constexpr char kPkcs8Ed25519Prefix[] = "302e020100300506032b657004220420";

struct Ed25519Pem {
  std::string pem;
  std::string body;      // the base64 line(s)
  std::string seed_hex;  // the secret itself
};

// `openssl genpkey -algorithm ed25519`, as a user makes a key for Binance.
// Without openssl the same PEM is assembled from a fixed seed.
Ed25519Pem MakeEd25519Pem(const std::string& path) {
  std::string openssl = ToolPath("openssl");
  if (!openssl.empty()) {
    absl::StatusOr<CommandResult> r =
        testing::RunCommand({openssl, "genpkey", "-algorithm", "ed25519", "-out", path});
    REQUIRE(r.ok());
    INFO(r->output);
    REQUIRE(r->exit_code == 0);
  } else {
    WARN("openssl is not installed: using a fixed Ed25519 key instead of a generated one");
    absl::StatusOr<std::string> der =
        signing::HexDecode(std::string(kPkcs8Ed25519Prefix) +
                           "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    REQUIRE(der.ok());
    testing::WriteFile(path, "-----BEGIN PRIVATE KEY-----\n" +
                                 signing::Base64Encode(signing::AsBytes(*der)) +
                                 "\n-----END PRIVATE KEY-----\n");
  }
  Ed25519Pem out;
  out.pem = testing::ReadFile(path);
  size_t begin = out.pem.find("-----\n") + 6;
  size_t end = out.pem.find("\n-----END");
  out.body = out.pem.substr(begin, end - begin);
  absl::StatusOr<std::string> der = signing::Base64Decode(out.body);
  REQUIRE(der.ok());
  REQUIRE(der->size() == 48);
  REQUIRE(signing::HexEncode(der->substr(0, 16)) == kPkcs8Ed25519Prefix);
  out.seed_hex = signing::HexEncode(der->substr(16));
  return out;
}

void CheckNoSecret(const std::string& text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    INFO("a test secret appears in the output: " << secret);
    CHECK(text.find(secret) == std::string::npos);
  }
}

TEST_CASE("the keys command line builds, lists, rotates and exports a keystore", "[signer][cli]") {
  SignerFixture f("");
  CommandResult init = f.Keys({"init"});
  INFO(init.output);
  REQUIRE(init.exit_code == 0);
  CHECK_THAT(init.output, Catch::Contains("created keystore"));
  struct stat st {};
  REQUIRE(stat(f.keystore().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CommandResult again = f.Keys({"init"});
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.output, Catch::Contains("exists"));

  // HMAC from a file (with the newline `echo` leaves) and from standard input.
  testing::WriteFile(f.dir().File("hmac.secret"), std::string(kHmacSecret) + "\n");
  CommandResult hmac = f.Keys({"import", "--id", "binance", "--alg", "hmac-sha256", "--secret-file",
                               f.dir().File("hmac.secret"), "--api-key", kApiKey});
  INFO(hmac.output);
  CHECK(hmac.exit_code == 0);
  CHECK_THAT(hmac.output, Catch::Contains("imported key binance version 1 (HMAC_SHA256"));
  testing::WriteFile(f.dir().File("stdin.secret"), kStdinSecret);
  CommandResult from_stdin = f.Keys({"import", "--id", "binance-sub", "--alg", "hmac-sha256",
                                     "--secret-file", "-", "--api-key", "sub-account-api-key"},
                                    f.dir().File("stdin.secret"));
  INFO(from_stdin.output);
  CHECK(from_stdin.exit_code == 0);
  CommandResult no_api_key = f.Keys({"import", "--id", "other", "--alg", "hmac-sha256",
                                     "--secret-file", f.dir().File("hmac.secret")});
  CHECK(no_api_key.exit_code == 1);
  CHECK_THAT(no_api_key.output, Catch::Contains("needs its API key"));
  CommandResult hmac_generated =
      f.Keys({"import", "--id", "other", "--alg", "hmac-sha256", "--generate", "--api-key", "x"});
  CHECK(hmac_generated.exit_code == 1);
  CHECK_THAT(hmac_generated.output, Catch::Contains("issued by the venue"));

  // Ed25519 as openssl writes it.
  Ed25519Pem ed = MakeEd25519Pem(f.dir().File("ed25519.pem"));
  CommandResult ed_import = f.Keys({"import", "--id", "binance-ed", "--alg", "ed25519",
                                    "--secret-file", f.dir().File("ed25519.pem")});
  INFO(ed_import.output);
  CHECK(ed_import.exit_code == 0);
  CommandResult not_pem = f.Keys({"import", "--id", "bad-ed", "--alg", "ed25519", "--secret-file",
                                  f.dir().File("hmac.secret")});
  CHECK(not_pem.exit_code == 1);
  CHECK_THAT(not_pem.output, Catch::Contains("is not a usable ED25519 key"));

  // secp256k1: imported from hex, and generated.
  testing::WriteFile(f.dir().File("wallet.secret"), std::string(kWalletSecretHex) + "\n");
  CommandResult wallet = f.Keys({"import", "--id", "wallet", "--alg", "secp256k1", "--secret-file",
                                 f.dir().File("wallet.secret")});
  INFO(wallet.output);
  CHECK(wallet.exit_code == 0);
  CHECK_THAT(wallet.output, Catch::Contains(kWalletAddress));
  CommandResult generated =
      f.Keys({"import", "--id", "wallet-2", "--alg", "secp256k1", "--generate"});
  INFO(generated.output);
  CHECK(generated.exit_code == 0);
  CHECK_THAT(generated.output, Catch::Contains("public id 0x"));

  CommandResult table = f.Keys({"list"});
  INFO(table.output);
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.output, Catch::Contains("binance-ed") && Catch::Contains("ED25519") &&
                               Catch::Contains(kApiKey) && Catch::Contains(kWalletAddress));

  // Rotation: a new version; the old one verifies and signs until the grace ends.
  CommandResult rotate = f.Keys({"rotate", "--id", "binance-ed", "--generate", "--api-key",
                                 "ed-api-key-2", "--grace-s", "600"});
  INFO(rotate.output);
  CHECK(rotate.exit_code == 0);
  CHECK_THAT(rotate.output, Catch::Contains("version 2 signs from now"));
  CommandResult same_secret =
      f.Keys({"rotate", "--id", "wallet", "--secret-file", f.dir().File("wallet.secret")});
  CHECK(same_secret.exit_code == 1);
  CHECK_THAT(same_secret.output, Catch::Contains("a rotation needs a new one"));

  // Policies are YAML on the KeyPolicy contract: unknown keys refused with their path.
  testing::WriteFile(f.dir().File("bad-policy.yaml"),
                     "allowed_venues: [BINANCE]\n"
                     "allowed_kinds: [ORDER]\n"
                     "max_notionl: '1000'\n");
  CommandResult bad = f.Keys({"policy", "set", "--id", "binance", f.dir().File("bad-policy.yaml")});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.output, Catch::Contains("bad-policy.yaml:3:1: max_notionl: unknown key"));
  testing::WriteFile(f.dir().File("bad-fee.yaml"), "max_evm_fee_wei: '-5'\n");
  CommandResult bad_fee = f.Keys({"policy", "set", "--id", "wallet", f.dir().File("bad-fee.yaml")});
  CHECK(bad_fee.exit_code == 1);
  CHECK_THAT(bad_fee.output, Catch::Contains("max_evm_fee_wei"));
  testing::WriteFile(f.dir().File("policy.yaml"),
                     "allowed_venues: [BINANCE]\n"
                     "allowed_kinds: [ORDER, CANCEL]\n"
                     "allowed_symbols: [LTCBTC, BTCUSDT]\n"
                     "max_notional_per_request: '2500.5'\n");
  CommandResult good = f.Keys({"policy", "set", "--id", "binance", f.dir().File("policy.yaml")});
  INFO(good.output);
  CHECK(good.exit_code == 0);

  CommandResult json = f.Keys({"list", "-o", "json"});
  INFO(json.output);
  CHECK(json.exit_code == 0);
  CHECK_THAT(json.output, Catch::Contains("\"keys\": [") &&
                              Catch::Contains("\"max_notional_per_request\": \"2500.5\"") &&
                              Catch::Contains("\"public_id\": \"ed-api-key-2\""));
  // Five key ids, six versions (binance-ed was rotated).
  size_t versions = 0;
  for (size_t at = 0; (at = json.output.find("\"key_id\"", at)) != std::string::npos; ++at) {
    ++versions;
  }
  CHECK(versions == 6);

  // Public parts only: the PEM to register with Binance, the wallet's address.
  CommandResult exported = f.Keys({"export-public", "--id", "binance-ed", "--version", "1"});
  INFO(exported.output);
  CHECK(exported.exit_code == 0);
  CHECK_THAT(exported.output, Catch::Contains("-----BEGIN PUBLIC KEY-----"));
  std::string openssl = ToolPath("openssl");
  if (!openssl.empty()) {
    absl::StatusOr<CommandResult> pub =
        testing::RunCommand({openssl, "pkey", "-in", f.dir().File("ed25519.pem"), "-pubout"});
    REQUIRE(pub.ok());
    CHECK_THAT(exported.output, Catch::Contains(pub->output));
  }
  CommandResult address = f.Keys({"export-public", "--id", "wallet", "-o", "json"});
  INFO(address.output);
  CHECK(address.exit_code == 0);
  CHECK_THAT(address.output, Catch::Contains(std::string("\"evm_address\": \"") + kWalletAddress));
  // Binance issues an Ed25519 key's API key after the public key is registered.
  CommandResult api_key =
      f.Keys({"set-api-key", "--id", "binance-ed", "--version", "1", "--api-key", "ed-api-key-1"});
  INFO(api_key.output);
  CHECK(api_key.exit_code == 0);
  CHECK_THAT(f.Keys({"list"}).output, Catch::Contains("ed-api-key-1"));
  CommandResult missing = f.Keys({"export-public", "--id", "nope"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("no key nope"));

  // Nothing above printed a secret; the keystore itself holds none in clear.
  std::vector<std::string> secrets = {kHmacSecret,
                                      kStdinSecret,
                                      kWalletSecretHex,
                                      ed.seed_hex,
                                      ed.body,
                                      kPassphrase,
                                      signing::HexEncode(std::string_view(kHmacSecret))};
  CheckNoSecret(f.Everything(), secrets);
}

TEST_CASE("the keys command line refuses what it cannot do, with a reason and an exit code",
          "[signer][cli]") {
  SignerFixture f("");
  REQUIRE(f.Keys({"init"}).exit_code == 0);
  testing::WriteFile(f.dir().File("wrong"), "not the passphrase at all\n");
  CommandResult wrong = f.Keys({"list", "--passphrase-file", f.dir().File("wrong")});
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.output, Catch::Contains("wrong passphrase"));
  CommandResult no_file = f.Keys({"list", "--passphrase-file", f.dir().File("absent")});
  CHECK(no_file.exit_code == 1);
  CHECK_THAT(no_file.output, Catch::Contains("passphrase file"));
  CommandResult usage = f.Run({testing::BinaryPath("tradeplane-signer"), "keys", "list"});
  CHECK(usage.exit_code == 2);
  CHECK_THAT(usage.output, Catch::Contains("--keystore PATH is required"));
  CommandResult both =
      f.Keys({"import", "--id", "k", "--alg", "ed25519", "--generate", "--secret-file", "x"});
  CHECK(both.exit_code == 1);
  CHECK_THAT(both.output, Catch::Contains("exactly one of --secret-file F and --generate"));
  CommandResult no_alg = f.Keys({"import", "--id", "k", "--generate"});
  CHECK(no_alg.exit_code == 2);
  CommandResult unknown = f.Keys({"destroy"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("unknown command 'destroy'"));
  // A secret never goes on the command line: there is no flag for it.
  CommandResult secret_flag =
      f.Keys({"import", "--id", "k", "--alg", "hmac-sha256", "--secret", "abc"});
  CHECK(secret_flag.exit_code == 2);
  CHECK_THAT(secret_flag.output, Catch::Contains("--secret"));

  // An edited header (a policy loosened by hand) does not open.
  REQUIRE(f.Keys({"import", "--id", "wallet", "--alg", "secp256k1", "--generate"}).exit_code == 0);
  std::string file = testing::ReadFile(f.keystore());
  size_t at = file.find("\"wallet\"");
  REQUIRE(at != std::string::npos);
  file.replace(at, 8, "\"wallez\"");
  testing::WriteFile(f.keystore(), file);
  CommandResult altered = f.Keys({"export-public", "--id", "wallez"});
  CHECK(altered.exit_code == 1);
  CHECK_THAT(altered.output, Catch::Contains("keystore was altered"));
}

}  // namespace
}  // namespace tradeplane::signer_test
