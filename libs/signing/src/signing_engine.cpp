#include "tradeplane/signing/signing_engine.h"

#include <charconv>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/binance_endpoints.h"
#include "tradeplane/signing/binance_request.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/evm_transaction.h"
#include "tradeplane/signing/key_policy.h"
#include "tradeplane/signing/request_digest.h"

#include "absl/strings/str_cat.h"

namespace tradeplane::signing {
namespace {

using signer::v1::SignRefusal;
using signer::v1::SignRequest;
using signer::v1::SignResponse;

SignResponse Refused(SignResponse response, SignRefusal code, std::string reason) {
  response.set_signed_(false);
  response.set_refusal(code);
  response.set_reason(std::move(reason));
  return response;
}

SignResponse Refused(SignResponse response, const SignDecision& decision) {
  return Refused(std::move(response), decision.refusal, decision.reason);
}

// "name" or "name@version".
struct KeyReference {
  std::string_view name;
  uint32_t version = 0;  // 0: the newest
};

bool ParseKeyReference(std::string_view key_id, KeyReference* out) {
  size_t at = key_id.find('@');
  out->name = key_id.substr(0, at);
  if (at == std::string_view::npos) return !out->name.empty();
  std::string_view digits = key_id.substr(at + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out->version);
  return !out->name.empty() && ec == std::errc() && end == digits.data() + digits.size() &&
         out->version > 0 && digits[0] != '0';
}

}  // namespace

absl::Status SigningEngine::LoadKeys(const Keystore& keystore) {
  std::map<std::string, Key, std::less<>> loaded;
  for (const Keystore::Entry& entry : keystore.entries()) {
    absl::StatusOr<SigningKey> key = SigningKey::Create(entry.metadata, entry.material);
    if (!key.ok()) return key.status();
    // Keystore entries come sorted by key id, then version.
    loaded[entry.metadata.key_id()].versions.push_back(*std::move(key));
  }
  for (auto& [key_id, key] : loaded) {
    if (auto previous = keys_.find(key_id); previous != keys_.end()) {
      key.window = std::move(previous->second.window);
    }
  }
  keys_ = std::move(loaded);
  return absl::OkStatus();
}

std::vector<signer::v1::KeyMetadata> SigningEngine::ListKeys() const {
  std::vector<signer::v1::KeyMetadata> out;
  for (const auto& [key_id, key] : keys_) {
    for (const SigningKey& version : key.versions) out.push_back(version.metadata());
  }
  return out;
}

SignResponse SigningEngine::Sign(const SignRequest& request, Timestamp now) {
  SignResponse response;
  response.set_key_id(request.key_id());
  response.set_request_digest(RequestDigest(request));

  if (request.request_id().empty() || request.request_id().size() > kMaxRequestIdLength) {
    return Refused(std::move(response), signer::v1::SIGN_REFUSAL_MALFORMED,
                   absl::StrCat("request_id must be 1 to ", kMaxRequestIdLength, " characters"));
  }
  KeyReference reference;
  if (!ParseKeyReference(request.key_id(), &reference)) {
    return Refused(std::move(response), signer::v1::SIGN_REFUSAL_MALFORMED,
                   "key_id must be a key id, optionally followed by @version");
  }
  if (request.has_key_version()) {
    if (request.key_version() == 0) {
      return Refused(std::move(response), signer::v1::SIGN_REFUSAL_MALFORMED,
                     "key_version, when set, must be at least 1");
    }
    if (reference.version != 0 && reference.version != request.key_version()) {
      return Refused(std::move(response), signer::v1::SIGN_REFUSAL_MALFORMED,
                     absl::StrCat("key_id pins version ", reference.version, " but key_version is ",
                                  request.key_version()));
    }
    reference.version = request.key_version();
  }
  if (request.payload_case() == SignRequest::PAYLOAD_NOT_SET) {
    return Refused(std::move(response), signer::v1::SIGN_REFUSAL_MALFORMED,
                   "the request has neither a venue request nor an EVM transaction");
  }

  auto found = keys_.find(reference.name);
  if (found == keys_.end()) {
    return Refused(std::move(response), signer::v1::SIGN_REFUSAL_UNKNOWN_KEY,
                   StrCat("no key ", reference.name));
  }
  Key& state = found->second;
  const SigningKey* chosen = nullptr;
  for (auto it = state.versions.rbegin(); it != state.versions.rend(); ++it) {
    const signer::v1::KeyMetadata& m = it->metadata();
    if (reference.version != 0 ? m.version() == reference.version : m.created_ns() <= now.nanos()) {
      chosen = &*it;
      break;
    }
  }
  if (chosen == nullptr) {
    return Refused(std::move(response),
                   reference.version != 0 ? signer::v1::SIGN_REFUSAL_UNKNOWN_KEY
                                          : signer::v1::SIGN_REFUSAL_POLICY,
                   reference.version != 0
                       ? StrCat("key ", reference.name, " has no version ", reference.version)
                       : StrCat("no version of key ", reference.name, " is valid yet"));
  }
  response.set_key_version(chosen->metadata().version());
  if (SignDecision can = CheckVersionCanSign(chosen->metadata(), now); !can.allowed()) {
    return Refused(std::move(response), can);
  }
  if (request.has_venue()) {
    return SignVenue(request, *chosen, state, now, std::move(response));
  }
  return SignEvmRequest(request, *chosen, state, now, std::move(response));
}

SignResponse SigningEngine::SignVenue(const SignRequest& request, const SigningKey& key, Key& state,
                                      Timestamp now, SignResponse response) {
  const signer::v1::KeyMetadata& metadata = key.metadata();
  if (metadata.purpose() != signer::v1::KEY_PURPOSE_VENUE_API) {
    return Refused(
        std::move(response), signer::v1::SIGN_REFUSAL_WRONG_ALGORITHM,
        StrCat("key ", metadata.key_id(), " is a ", ShortEnumName(metadata.purpose()), " key (",
               ShortEnumName(metadata.algorithm()), ") and does not sign venue requests"));
  }
  const signer::v1::VenueRequest& venue = request.venue();
  absl::StatusOr<VenueRequestFacts> facts = ReadVenueRequestFacts(venue);
  if (!facts.ok()) {
    return Refused(std::move(response),
                   absl::IsNotFound(facts.status()) ? signer::v1::SIGN_REFUSAL_POLICY
                                                    : signer::v1::SIGN_REFUSAL_MALFORMED,
                   std::string(facts.status().message()));
  }
  const bool signed_request = IsSignedRequestKind(facts->kind);
  absl::StatusOr<std::string> query = BuildBinanceQuery(venue, signed_request);
  if (!query.ok()) {
    return Refused(std::move(response), signer::v1::SIGN_REFUSAL_MALFORMED,
                   std::string(query.status().message()));
  }
  const signer::v1::KeyPolicy& policy = metadata.policy();
  if (SignDecision d = CheckVenuePolicy(policy, venue, *facts, now); !d.allowed()) {
    return Refused(std::move(response), d);
  }
  if (metadata.public_id().empty()) {
    return Refused(std::move(response), signer::v1::SIGN_REFUSAL_POLICY,
                   StrCat("version ", metadata.version(), " of key ", metadata.key_id(),
                          " has no API key (public_id) yet"));
  }
  if (SignDecision d = state.window.Check(policy, facts->notional, now); !d.allowed()) {
    return Refused(std::move(response), d);
  }
  std::string signature;
  if (signed_request) {
    absl::StatusOr<std::string> signed_text = key.SignVenueQuery(*query);
    if (!signed_text.ok()) {
      return Refused(std::move(response), signer::v1::SIGN_REFUSAL_WRONG_ALGORITHM,
                     std::string(signed_text.status().message()));
    }
    signature = *std::move(signed_text);
    response.set_query_string(AppendBinanceSignature(*query, signature));
  } else {
    response.set_query_string(*std::move(query));
  }
  state.window.Record(policy, facts->notional, now);
  response.set_signed_(true);
  response.set_api_key(metadata.public_id());
  response.set_signature(std::move(signature));
  return response;
}

SignResponse SigningEngine::SignEvmRequest(const SignRequest& request, const SigningKey& key,
                                           Key& state, Timestamp now, SignResponse response) {
  const signer::v1::KeyMetadata& metadata = key.metadata();
  if (metadata.purpose() != signer::v1::KEY_PURPOSE_EVM_WALLET ||
      metadata.algorithm() != signer::v1::ALGORITHM_SECP256K1) {
    return Refused(
        std::move(response), signer::v1::SIGN_REFUSAL_WRONG_ALGORITHM,
        StrCat("key ", metadata.key_id(), " is a ", ShortEnumName(metadata.purpose()), " key (",
               ShortEnumName(metadata.algorithm()), ") and does not sign EVM transactions"));
  }
  const signer::v1::EvmTransaction& evm = request.evm();
  // The nonce is allocated only once everything else passed, so refusals
  // never burn one; until then the fields are checked with a placeholder.
  absl::StatusOr<EvmTransactionFields> fields =
      ParseEvmTransaction(evm, evm.has_nonce() ? evm.nonce() : 0);
  if (!fields.ok()) {
    return Refused(std::move(response), signer::v1::SIGN_REFUSAL_MALFORMED,
                   std::string(fields.status().message()));
  }
  const signer::v1::KeyPolicy& policy = metadata.policy();
  if (SignDecision d = CheckEvmPolicy(policy, *fields); !d.allowed()) {
    return Refused(std::move(response), d);
  }
  if (SignDecision d = state.window.Check(policy, Amount::Zero(), now); !d.allowed()) {
    return Refused(std::move(response), d);
  }
  // Each version is its own account (its own address), so nonces count per
  // version: "name@version".
  const std::string account = absl::StrCat(metadata.key_id(), "@", metadata.version());
  if (evm.has_nonce()) {
    if (absl::Status s = nonces_.Observe(account, fields->chain_id, evm.nonce()); !s.ok()) {
      return Refused(
          std::move(response), signer::v1::SIGN_REFUSAL_STORE_UNAVAILABLE,
          StrCat("the nonce store did not record nonce ", evm.nonce(), ": ", ToStd(s.message())));
    }
  } else {
    absl::StatusOr<uint64_t> nonce = nonces_.Allocate(account, fields->chain_id);
    if (!nonce.ok()) {
      return Refused(std::move(response), signer::v1::SIGN_REFUSAL_STORE_UNAVAILABLE,
                     StrCat("no nonce could be allocated: ", ToStd(nonce.status().message())));
    }
    fields->nonce = *nonce;
  }
  absl::StatusOr<SignedEvmTransaction> signed_tx = key.SignEvm(*fields);
  if (!signed_tx.ok()) {
    return Refused(std::move(response), signer::v1::SIGN_REFUSAL_WRONG_ALGORITHM,
                   std::string(signed_tx.status().message()));
  }
  state.window.Record(policy, Amount::Zero(), now);
  response.set_signed_(true);
  response.set_api_key(metadata.public_id());
  response.set_raw_transaction(std::move(signed_tx->raw));
  response.set_transaction_hash(std::string(AsChars(signed_tx->hash)));
  response.set_nonce(fields->nonce);
  return response;
}

}  // namespace tradeplane::signing
