// tradeplane-signer as a process: CURVE clients, replay protection, the
// audit chain, EVM nonces across restarts, a lost database, and secrets.
#include <csignal>

#include <catch2/catch.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/hmac_sha256.h"
#include "tradeplane/testing/metrics_scrape.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/wait.h"

#include "signer_fixture.h"

namespace tradeplane::signer_test {
namespace {

using signer::v1::SignRequest;
using signer::v1::SignResponse;
using testing::CommandResult;
using testing::MetricSample;
using testing::WaitUntil;

std::string NewDatabase() {
  absl::StatusOr<std::string> conninfo = testing::PgCluster::Shared().CreateDatabase();
  INFO(conninfo.status().ToString());
  REQUIRE(conninfo.ok());
  return *conninfo;
}

void CheckNothingSigned(const SignResponse& r) {
  CHECK_FALSE(r.signed_());
  CHECK(r.signature().empty());
  CHECK(r.query_string().empty());
  CHECK(r.raw_transaction().empty());
  CHECK(r.transaction_hash().empty());
}

std::string Signed(const std::string& metric_code, const std::string& outcome) {
  return "tradeplane_signer_requests_total{code=\"" + metric_code + "\",outcome=\"" + outcome +
         "\"}";
}

TEST_CASE(
    "an allow-listed client gets a Binance HMAC signature over the query it returns, "
    "others get nothing",
    "[signer][process]") {
  SignerFixture f(NewDatabase(), /*metrics=*/true);
  f.CreateKeystore();
  f.Start();
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto execution = f.Client(ctx, &f.execution_key());
  SignResponse r = MustSign(*execution, DocOrder("order-1", NowMs()));
  INFO(r.reason());
  REQUIRE(r.signed_());
  CHECK(r.key_id() == "binance");
  CHECK(r.key_version() == 1);
  CHECK(r.api_key() == kApiKey);
  // What execution sends to Binance is exactly the returned query, and its
  // signature is HMAC-SHA256 over everything before "&signature=".
  size_t cut = r.query_string().find("&signature=");
  REQUIRE(cut != std::string::npos);
  std::string signed_part = r.query_string().substr(0, cut);
  CHECK_THAT(signed_part, Catch::StartsWith("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&"
                                            "quantity=1&price=0.1&recvWindow=5000&timestamp="));
  std::string expected = signing::HexEncode(
      signing::AsChars(signing::HmacSha256(signing::AsBytes(kHmacSecret), signed_part)));
  CHECK(r.signature() == expected);
  CHECK(r.query_string().substr(cut + 11) == expected);

  // On the CURVE allow-list but not in client_names: refused by the signer.
  auto reconciler = f.Client(ctx, &f.reconciler_key());
  SignResponse refused = MustSign(*reconciler, DocOrder("order-2", NowMs()));
  CHECK(refused.refusal() == signer::v1::SIGN_REFUSAL_UNKNOWN_CLIENT);
  CheckNothingSigned(refused);

  // Not on the allow-list, or no CURVE at all: no answer whatsoever.
  auto intruder = f.Client(ctx, &f.intruder_key(), 700);
  SignResponse nothing;
  absl::Status s = intruder->Call(DocOrder("order-3", NowMs()), &nothing);
  CHECK(absl::IsDeadlineExceeded(s));
  auto plain = f.Client(ctx, nullptr, 700);
  absl::Status p = plain->Call(DocOrder("order-4", NowMs()), &nothing);
  CHECK(absl::IsDeadlineExceeded(p));
  CHECK(nothing.signature().empty());

  std::string metrics;
  CHECK(WaitUntil([&] {
    metrics = f.Metrics();
    return MetricSample(metrics, "tradeplane_signer_curve_refusals_total") >= 1;
  }));
  CHECK(MetricSample(metrics, Signed("NONE", "signed")) == 1);
  CHECK(MetricSample(metrics, Signed("UNKNOWN_CLIENT", "refused")) == 1);
  CHECK(MetricSample(metrics, "tradeplane_signer_audit_records_total") == 2);
  CHECK(metrics.find("tradeplane_signer_sign_latency_seconds_count{algorithm=\"HMAC_SHA256\"} 1") !=
        std::string::npos);
  CommandResult status = f.Tradectl({"status", "--service", "signer", "-o", "json"});
  INFO(status.output);
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.output, Catch::Contains("\"name\": \"curve_refusals\""));
  CHECK_THAT(status.output, Catch::Contains("\"transport\": \"curve\""));

  // The audit names the callers as client_names and the allow-list say.
  CommandResult audit = f.Tradectl({"signer", "audit", "--tail", "10", "-o", "json"});
  INFO(audit.output);
  CHECK(audit.exit_code == 0);
  CHECK_THAT(audit.output, Catch::Contains("\"caller\": \"execution\"") &&
                               Catch::Contains("\"caller\": \"reconciler\"") &&
                               Catch::Contains("\"refusal\": \"UNKNOWN_CLIENT\""));
  CommandResult keys = f.Tradectl({"signer", "keys", "-o", "json"});
  INFO(keys.output);
  CHECK(keys.exit_code == 0);
  CHECK_THAT(keys.output,
             Catch::Contains("\"key_id\": \"wallet\"") && Catch::Contains(kWalletAddress));
}

TEST_CASE("a request id is signed once, and every refusal is audited in a chain that verifies",
          "[signer][process]") {
  SignerFixture f(NewDatabase());
  f.CreateKeystore();
  f.Start();
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto client = f.Client(ctx, &f.execution_key());
  const int64_t now = NowMs();
  SignResponse first = MustSign(*client, DocOrder("dup-1", now));
  REQUIRE(first.signed_());
  // Each Call has a new bus request id: the signer's own store answers.
  SignResponse retry = MustSign(*client, DocOrder("dup-1", now));
  CHECK(retry.SerializeAsString() == first.SerializeAsString());
  SignResponse replay = MustSign(*client, DocOrder("dup-1", now + 1));
  CHECK(replay.refusal() == signer::v1::SIGN_REFUSAL_REPLAY);
  CheckNothingSigned(replay);

  SignRequest unknown_key = DocOrder("bad-1", now);
  unknown_key.set_key_id("no-such-key");
  SignRequest wrong_algorithm = WalletTransfer("bad-2");
  wrong_algorithm.set_key_id("binance");
  SignRequest outside_policy = DocOrder("bad-3", now, "BTCUSDT");
  SignRequest expired = DocOrder("bad-4", now - 10 * 60 * 1000);
  SignRequest malformed;
  malformed.set_request_id("bad-5");
  malformed.set_key_id("binance");
  SignRequest no_version = DocOrder("bad-6", now);
  no_version.set_key_version(7);
  const std::vector<std::pair<SignRequest, signer::v1::SignRefusal>> bad = {
      {unknown_key, signer::v1::SIGN_REFUSAL_UNKNOWN_KEY},
      {wrong_algorithm, signer::v1::SIGN_REFUSAL_WRONG_ALGORITHM},
      {outside_policy, signer::v1::SIGN_REFUSAL_POLICY},
      {expired, signer::v1::SIGN_REFUSAL_EXPIRED},
      {malformed, signer::v1::SIGN_REFUSAL_MALFORMED},
      {no_version, signer::v1::SIGN_REFUSAL_UNKNOWN_KEY},
  };
  for (const auto& [request, code] : bad) {
    SignResponse r = MustSign(*client, request);
    INFO(request.request_id() << ": " << r.reason());
    CHECK(r.refusal() == code);
    CHECK_FALSE(r.reason().empty());
    CheckNothingSigned(r);
  }

  // One signature stored; nine answers audited, in order, with their decisions.
  CHECK(Psql(f.conninfo(), "SELECT count(*) FROM signer_requests").output == "1\n");
  CommandResult rows = Psql(f.conninfo(),
                            "SELECT seq, caller, request_id, signed, refusal FROM signer_audit "
                            "ORDER BY seq");
  INFO(rows.output);
  CHECK(rows.output ==
        "1|execution|dup-1|t|0\n"
        "2|execution|dup-1|t|0\n"
        "3|execution|dup-1|f|6\n"
        "4|execution|bad-1|f|1\n"
        "5|execution|bad-2|f|2\n"
        "6|execution|bad-3|f|3\n"
        "7|execution|bad-4|f|5\n"
        "8|execution|bad-5|f|4\n"
        "9|execution|bad-6|f|1\n");
  CHECK_THAT(Psql(f.conninfo(), "SELECT reason FROM signer_audit WHERE seq = 2").output,
             Catch::Contains("retry"));
  CHECK_THAT(Psql(f.conninfo(), "SELECT reason FROM signer_audit WHERE seq = 6").output,
             Catch::Contains("symbol BTCUSDT"));

  CommandResult ok = f.VerifyAudit();
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.output, Catch::Contains("audit chain OK: 9 records (seq 1 to 9)"));

  // The table refuses edits; someone who gets around that breaks the chain.
  CommandResult edit =
      Psql(f.conninfo(), "UPDATE signer_audit SET reason = 'nothing to see' WHERE seq = 6");
  CHECK(edit.exit_code != 0);
  CHECK_THAT(edit.output, Catch::Contains("append-only"));
  CommandResult forced = Psql(f.conninfo(),
                              "SET session_replication_role = replica; "
                              "UPDATE signer_audit SET reason = 'nothing to see' WHERE seq = 6");
  INFO(forced.output);
  REQUIRE(forced.exit_code == 0);
  CommandResult broken = f.VerifyAudit();
  INFO(broken.output);
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.output, Catch::Contains("audit chain BROKEN at seq 6: hash does not match"));
}

TEST_CASE("EVM nonces keep increasing across a restart, and a retry after it gets the same bytes",
          "[signer][process]") {
  SignerFixture f(NewDatabase());
  f.CreateKeystore();
  f.Start();
  SignResponse tx1, tx2;
  {
    bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
    auto client = f.Client(ctx, &f.execution_key());
    tx1 = MustSign(*client, WalletTransfer("tx-1"));
    INFO(tx1.reason());
    REQUIRE(tx1.signed_());
    CHECK(tx1.nonce() == 0);
    CHECK(tx1.api_key() == kWalletAddress);
    CHECK(tx1.raw_transaction().size() > 100);
    CHECK(tx1.transaction_hash().size() == 32);
    // 21000 gas at 100 gwei is over the key's fee limit: refused, no nonce burnt.
    SignResponse fee = MustSign(*client, WalletTransfer("tx-fee", "100000000000"));
    CHECK(fee.refusal() == signer::v1::SIGN_REFUSAL_POLICY);
    CHECK_THAT(fee.reason(), Catch::Contains("exceeds the fee limit"));
    CheckNothingSigned(fee);
    tx2 = MustSign(*client, WalletTransfer("tx-2"));
    REQUIRE(tx2.signed_());
    CHECK(tx2.nonce() == 1);
  }
  CHECK(f.Stop() == 0);
  f.Start();
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto client = f.Client(ctx, &f.execution_key());
  SignResponse tx3 = MustSign(*client, WalletTransfer("tx-3"));
  REQUIRE(tx3.signed_());
  CHECK(tx3.nonce() == 2);
  SignResponse again = MustSign(*client, WalletTransfer("tx-1"));
  CHECK(again.SerializeAsString() == tx1.SerializeAsString());
  CHECK(Psql(f.conninfo(), "SELECT account, chain_id, next_nonce FROM signer_evm_nonces").output ==
        "wallet@1|1|3\n");
  CHECK(Psql(f.conninfo(),
             "SELECT evm_nonce FROM signer_requests WHERE nonce_allocated ORDER BY evm_nonce")
            .output == "0\n1\n2\n");
  CommandResult ok = f.VerifyAudit();
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("without its database the signer refuses with STORE_UNAVAILABLE and signs nothing",
          "[signer][process][pg]") {
  absl::StatusOr<std::unique_ptr<testing::PgCluster>> pg = testing::PgCluster::Start();
  REQUIRE(pg.ok());
  SignerFixture f((*pg)->Conninfo(), /*metrics=*/true);
  f.CreateKeystore();
  f.Start();
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto client = f.Client(ctx, &f.execution_key());
  REQUIRE(MustSign(*client, DocOrder("before", NowMs())).signed_());

  REQUIRE((*pg)->Stop().ok());
  for (const char* id : {"down-1", "down-2"}) {
    SignResponse r = MustSign(*client, DocOrder(id, NowMs()));
    INFO(r.reason());
    CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_STORE_UNAVAILABLE);
    CheckNothingSigned(r);
  }
  SignResponse evm = MustSign(*client, WalletTransfer("down-3"));
  CHECK(evm.refusal() == signer::v1::SIGN_REFUSAL_STORE_UNAVAILABLE);
  CheckNothingSigned(evm);
  std::string metrics;
  CHECK(WaitUntil([&] {
    metrics = f.Metrics();
    return MetricSample(metrics, "tradeplane_signer_store_unavailable_total") == 3 &&
           MetricSample(metrics, "tradeplane_signer_audit_records_pending") == 3;
  }));
  CommandResult status = f.Tradectl({"status", "--service", "signer", "-o", "json"});
  CHECK_THAT(status.output, Catch::Contains("\"ready\": false"));

  REQUIRE((*pg)->Restart().ok());
  int attempts = 0;
  SignResponse after;
  CHECK(WaitUntil(
      [&] {
        after = MustSign(*client, DocOrder("after-" + std::to_string(++attempts), NowMs()));
        if (!after.signed_()) CHECK(after.refusal() == signer::v1::SIGN_REFUSAL_STORE_UNAVAILABLE);
        return after.signed_();
      },
      std::chrono::seconds(30)));
  // The refusals were never stored as signatures, and their audit records
  // waited and were appended once the database was back.
  CHECK(Psql(f.conninfo(), "SELECT count(*) FROM signer_requests WHERE request_id LIKE 'down-%'")
            .output == "0\n");
  CHECK(Psql(f.conninfo(),
             "SELECT request_id FROM signer_audit WHERE refusal = 9 AND request_id LIKE 'down-%' "
             "ORDER BY seq")
            .output == "down-1\ndown-2\ndown-3\n");
  CHECK(MetricSample(f.Metrics(), "tradeplane_signer_audit_records_pending") == 0);
  CHECK(Psql(f.conninfo(), "SELECT count(*) FROM signer_evm_nonces").output == "0\n");
  CommandResult ok = f.VerifyAudit();
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("a rotation reaches the running signer, and key_version pins the old version",
          "[signer][process]") {
  SignerFixture f(NewDatabase());
  f.CreateKeystore();
  f.Start();
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto client = f.Client(ctx, &f.execution_key());
  REQUIRE(MustSign(*client, DocOrder("rot-0", NowMs())).key_version() == 1);
  testing::WriteFile(f.dir().File("new.secret"), "NewSecretAfterRotation0123456789abcdefABCDEF\n");
  CommandResult rotate = f.Keys({"rotate", "--id", "binance", "--secret-file",
                                 f.dir().File("new.secret"), "--api-key", "new-api-key"});
  INFO(rotate.output);
  REQUIRE(rotate.exit_code == 0);
  int n = 0;
  SignResponse newest;
  CHECK(WaitUntil([&] {
    newest = MustSign(*client, DocOrder("rot-" + std::to_string(++n), NowMs()));
    return newest.key_version() == 2;
  }));
  CHECK(newest.signed_());
  CHECK(newest.api_key() == "new-api-key");
  SignRequest pinned = DocOrder("rot-pinned", NowMs());
  pinned.set_key_version(1);
  SignResponse old = MustSign(*client, pinned);
  INFO(old.reason());
  CHECK(old.signed_());
  CHECK(old.key_version() == 1);
  CHECK(old.api_key() == kApiKey);
  // The pin is part of the request's content: the same id without it is a replay.
  SignRequest unpinned = DocOrder("rot-pinned", pinned.venue().timestamp_ms());
  CHECK(MustSign(*client, unpinned).refusal() == signer::v1::SIGN_REFUSAL_REPLAY);
}

TEST_CASE("the signer will not start without CURVE, its keystore or its database",
          "[signer][process]") {
  SignerFixture f(NewDatabase());
  f.CreateKeystore();
  std::string config = f.WriteConfig();
  // Drop the curve section: the server socket would be open to anyone.
  std::string yaml = testing::ReadFile(config);
  size_t begin = yaml.find("  curve:");
  size_t end = yaml.find("keystore:");
  testing::WriteFile(config, yaml.substr(0, begin) + yaml.substr(end));
  CommandResult no_curve = f.Run({testing::BinaryPath("tradeplane-signer"), "--config", config});
  CHECK(no_curve.exit_code == 1);
  CHECK_THAT(no_curve.output,
             Catch::Contains("server.curve") && Catch::Contains("allow_insecure_transport"));

  testing::WriteFile(f.dir().File("passphrase"), "a passphrase that is wrong\n");
  f.WriteConfig();
  CommandResult wrong = f.Run({testing::BinaryPath("tradeplane-signer"), "--config", config});
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.output, Catch::Contains("wrong passphrase"));

  f.WriteConfig("common: {}\n");
  CommandResult duplicate = f.Run({testing::BinaryPath("tradeplane-signer"), "--config", config});
  CHECK(duplicate.exit_code == 2);  // the config loader refuses a repeated key
}

TEST_CASE("nothing a run produces contains a test secret, and the process keeps none outside",
          "[signer][process][secrets]") {
  SignerFixture f(NewDatabase(), /*metrics=*/true);
  f.CreateKeystore();
  testing::WriteFile(f.dir().File("stdin.secret"), kStdinSecret);
  REQUIRE(f.Keys({"import", "--id", "sub", "--alg", "hmac-sha256", "--secret-file", "-",
                  "--api-key", "sub-key"},
                 f.dir().File("stdin.secret"))
              .exit_code == 0);
  REQUIRE(f.Keys({"list", "-o", "json"}).exit_code == 0);
  REQUIRE(f.Keys({"export-public", "--id", "wallet"}).exit_code == 0);
  // The passphrase from the environment this time, not from the file.
  f.Start("", /*passphrase_in_env=*/true);
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto client = f.Client(ctx, &f.execution_key());
  const int64_t now = NowMs();
  REQUIRE(MustSign(*client, DocOrder("s-1", now)).signed_());
  REQUIRE(MustSign(*client, DocOrder("s-1", now)).signed_());
  CHECK_FALSE(MustSign(*client, DocOrder("s-1", now + 5)).signed_());
  CHECK_FALSE(MustSign(*client, DocOrder("s-2", now, "ETHBTC")).signed_());
  REQUIRE(MustSign(*client, WalletTransfer("s-3")).signed_());
  SignResponse nothing;
  CHECK_FALSE(f.Client(ctx, &f.intruder_key(), 500)->Call(DocOrder("s-4", now), &nothing).ok());
  REQUIRE(f.Tradectl({"status", "--service", "signer"}).exit_code == 0);
  REQUIRE(f.Tradectl({"signer", "keys"}).exit_code == 0);
  REQUIRE(f.Tradectl({"signer", "audit", "--tail", "50", "-o", "json"}).exit_code == 0);
  f.Metrics();

  // No core dump can carry the keys, and the environment no longer holds the
  // passphrase (it was overwritten and removed at start).
  std::string pid = std::to_string(f.process().pid());
  std::string limits = testing::ReadFile("/proc/" + pid + "/limits");
  INFO(limits);
  CHECK(limits.find("Max core file size        0                    0") != std::string::npos);
  std::string environ = testing::ReadFile("/proc/" + pid + "/environ");
  if (environ.empty()) {
    WARN("/proc/" << pid << "/environ is not readable here: its check is skipped");
  } else {
    CHECK(environ.find(kPassphrase) == std::string::npos);
    CHECK(environ.find("TRADEPLANE_KEYSTORE_PASSPHRASE") == std::string::npos);
  }
  CHECK(f.Stop() == 0);

  std::string everything = f.Everything();
  // The search covers what it must: the logs, the audit, the signatures.
  CHECK_THAT(everything, Catch::Contains("request signed") && Catch::Contains("s-3") &&
                             Catch::Contains(kApiKey) && Catch::Contains("POLICY"));
  for (const std::string& secret :
       {std::string(kHmacSecret), std::string(kStdinSecret), std::string(kWalletSecretHex),
        std::string(kPassphrase), signing::HexEncode(std::string_view(kHmacSecret)),
        signing::HexEncode(std::string_view(kStdinSecret)),
        signing::HexEncode(std::string_view(kPassphrase))}) {
    INFO("a test secret appears in what the run produced: " << secret);
    CHECK(everything.find(secret) == std::string::npos);
  }
}

}  // namespace
}  // namespace tradeplane::signer_test
