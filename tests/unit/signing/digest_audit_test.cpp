// Request digests, replay verdicts, nonce allocation and the audit chain.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/signing/audit_chain.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/nonce_allocator.h"
#include "tradeplane/signing/replay.h"
#include "tradeplane/signing/request_digest.h"

#include "venue_request_builders.h"

namespace tradeplane::signing {
namespace {

using signer::v1::AuditRecord;
using signer::v1::SignRequest;

SignRequest DocRequest() {
  SignRequest request;
  request.set_request_id("0190a3b2-7c41-7d3e-8f00-2b9d3c4e5f60");
  request.set_key_id("binance-main");
  *request.mutable_venue() = testing::BinanceDocOrder();
  return request;
}

TEST_CASE("the request digest is stable and changes with any field", "[signing][digest]") {
  SignRequest request = DocRequest();
  std::string digest = RequestDigest(request);
  CHECK(digest.size() == 32);
  CHECK(RequestDigest(DocRequest()) == digest);

  // Every change the signer would sign differently must change the digest.
  std::vector<SignRequest> variants(9, request);
  variants[0].set_request_id("other");
  variants[1].set_key_id("binance-main@2");
  variants[2].mutable_venue()->mutable_params(4)->set_value("2");
  variants[3].mutable_venue()->set_timestamp_ms(1499827319560);
  variants[4].mutable_venue()->set_recv_window_ms(5001);
  variants[5].mutable_venue()->set_notional(1);
  // Moving text between a name and a value must not collide (length prefixes).
  variants[6].mutable_venue()->mutable_params(0)->set_name("symbolL");
  variants[6].mutable_venue()->mutable_params(0)->set_value("TCBTC");
  // The same parameters in another order are another query string.
  variants[7].mutable_venue()->mutable_params()->SwapElements(0, 1);
  variants[8].clear_venue();
  for (size_t i = 0; i < variants.size(); ++i) {
    INFO("variant " << i);
    CHECK(RequestDigest(variants[i]) != digest);
  }
}

TEST_CASE("an EVM request's digest tells an absent nonce from nonce zero", "[signing][digest]") {
  SignRequest request;
  request.set_request_id("r1");
  request.set_key_id("wallet");
  request.mutable_evm()->set_chain_id(1);
  std::string without = RequestDigest(request);
  request.mutable_evm()->set_nonce(0);
  CHECK(RequestDigest(request) != without);
}

TEST_CASE("the canonical encoding is fixed: a published digest of a known request",
          "[signing][digest]") {
  // Regression guard: the bytes of this encoding are a stored contract (the
  // service keeps digests), so a change here must be deliberate.
  SignRequest request;
  request.set_request_id("a");
  request.set_key_id("k");
  std::string canonical = CanonicalSignRequest(request);
  CHECK(HexEncode(canonical) ==
        "00000022" + HexEncode(std::string_view("tradeplane.signer.v1.SignRequest/1")) +
            "00000001" + "61" + "00000001" + "6b" + "00");
}

TEST_CASE("a repeated request id is a retry with the same digest and a conflict otherwise",
          "[signing][replay]") {
  SignRequest request = DocRequest();
  std::string digest = RequestDigest(request);
  CHECK(ClassifyReplay(nullptr, digest) == ReplayVerdict::kNew);
  CHECK(ClassifyReplay(&digest, digest) == ReplayVerdict::kRetry);
  SignRequest changed = request;
  changed.mutable_venue()->mutable_params(4)->set_value("100");
  std::string changed_digest = RequestDigest(changed);
  CHECK(ClassifyReplay(&digest, changed_digest) == ReplayVerdict::kConflict);
  signer::v1::SignResponse refusal = ReplayConflictResponse(changed, changed_digest);
  CHECK_FALSE(refusal.signed_());
  CHECK(refusal.refusal() == signer::v1::SIGN_REFUSAL_REPLAY);
  CHECK(refusal.reason().find(request.request_id()) != std::string::npos);
  CHECK(refusal.request_digest() == changed_digest);
}

TEST_CASE("nonces increase strictly per account and chain and stay above observed ones",
          "[signing][nonce]") {
  InMemoryNonceAllocator nonces;
  CHECK(nonces.Allocate("w@1", 1).value() == 0);
  CHECK(nonces.Allocate("w@1", 1).value() == 1);
  CHECK(nonces.Allocate("w@1", 10).value() == 0);  // another chain
  CHECK(nonces.Allocate("w@2", 1).value() == 0);   // another account
  REQUIRE(nonces.Observe("w@1", 1, 7).ok());
  CHECK(nonces.Allocate("w@1", 1).value() == 8);
  REQUIRE(nonces.Observe("w@1", 1, 3).ok());  // a replacement below: no effect
  CHECK(nonces.Allocate("w@1", 1).value() == 9);
  nonces.Seed("w@1", 1, 5);  // behind: ignored
  CHECK(nonces.Peek("w@1", 1) == 10);
  nonces.Seed("w@1", 1, 42);
  CHECK(nonces.Allocate("w@1", 1).value() == 42);
  CHECK_FALSE(nonces.Peek("never", 1).has_value());
  nonces.Seed("edge", 1, ~0ULL);
  CHECK(nonces.Allocate("edge", 1).value() == ~0ULL);
  CHECK_FALSE(nonces.Allocate("edge", 1).ok());
}

std::vector<AuditRecord> SealedChain(int n) {
  std::vector<AuditRecord> chain;
  std::string prev = kAuditGenesisHash;
  for (int i = 0; i < n; ++i) {
    SignRequest request = DocRequest();
    request.set_request_id("r" + std::to_string(i));
    signer::v1::SignResponse response;
    response.set_signed_(i % 3 != 2);
    if (!response.signed_()) {
      response.set_refusal(signer::v1::SIGN_REFUSAL_POLICY);
      response.set_reason("the key's policy does not allow symbol LTCBTC");
    }
    response.set_key_version(1);
    response.set_request_digest(RequestDigest(request));
    AuditRecord record =
        AuditRecordFor(request, response, "execution-1", 1'700'000'000'000'000'000 + i);
    SealAuditRecord(100 + i, prev, &record);
    prev = record.hash();
    chain.push_back(record);
  }
  return chain;
}

TEST_CASE("a sealed audit chain verifies from genesis", "[signing][audit]") {
  std::vector<AuditRecord> chain = SealedChain(6);
  CHECK(chain[0].prev_hash() == kAuditGenesisHash);
  CHECK(chain[1].prev_hash() == chain[0].hash());
  CHECK(chain[2].caller() == "execution-1");
  CHECK_FALSE(chain[2].signed_());
  CHECK_FALSE(VerifyAuditChain(chain).has_value());
  // A pruned log verifies from its anchor.
  CHECK_FALSE(VerifyAuditChain(std::span(chain).subspan(3), chain[2].hash()).has_value());
}

TEST_CASE("the verifier reports the first broken link and why", "[signing][audit]") {
  SECTION("an edited field") {
    std::vector<AuditRecord> chain = SealedChain(6);
    chain[3].set_reason("nothing to see");
    std::optional<AuditChainBreak> broken = VerifyAuditChain(chain);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 103);
    CHECK(broken->reason.find("altered") != std::string::npos);
  }
  SECTION("an edited record re-hashed to hide it breaks the next link") {
    std::vector<AuditRecord> chain = SealedChain(6);
    chain[3].set_signed_(false);
    SealAuditRecord(chain[3].seq(), chain[3].prev_hash(), &chain[3]);
    std::optional<AuditChainBreak> broken = VerifyAuditChain(chain);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 104);
    CHECK(broken->reason.find("prev_hash is not the hash of seq 103") != std::string::npos);
  }
  SECTION("a removed record") {
    std::vector<AuditRecord> chain = SealedChain(6);
    chain.erase(chain.begin() + 2);
    std::optional<AuditChainBreak> broken = VerifyAuditChain(chain);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 103);
    CHECK(broken->reason.find("follows seq 101") != std::string::npos);
  }
  SECTION("swapped records") {
    std::vector<AuditRecord> chain = SealedChain(6);
    std::swap(chain[1], chain[2]);
    std::optional<AuditChainBreak> broken = VerifyAuditChain(chain);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 102);
  }
  SECTION("a chain that does not start at the anchor") {
    std::vector<AuditRecord> chain = SealedChain(3);
    std::optional<AuditChainBreak> broken = VerifyAuditChain(std::span(chain).subspan(1));
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 101);
    CHECK(broken->reason.find("anchor") != std::string::npos);
  }
}

}  // namespace
}  // namespace tradeplane::signing
