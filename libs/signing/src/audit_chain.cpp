#include "tradeplane/signing/audit_chain.h"

#include <sodium.h>

#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/sha256.h"

#include "absl/strings/str_cat.h"
#include "canonical_writer.h"

namespace tradeplane::signing {
namespace {

bool SameBytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0);
}

}  // namespace

std::string CanonicalAuditRecord(const signer::v1::AuditRecord& r) {
  CanonicalWriter w("tradeplane.signer.v1.AuditRecord/1");
  w.U64(r.seq()).I64(r.time_ns()).Bytes(r.caller()).Bytes(r.request_id()).Bytes(r.key_id());
  w.U32(r.key_version()).Bytes(r.request_digest()).Bool(r.signed_()).Enum(r.refusal());
  w.Bytes(r.reason()).Bytes(r.prev_hash());
  return w.bytes();
}

std::string ComputeAuditHash(const signer::v1::AuditRecord& record) {
  return std::string(AsChars(Sha256(CanonicalAuditRecord(record))));
}

signer::v1::AuditRecord AuditRecordFor(const signer::v1::SignRequest& request,
                                       const signer::v1::SignResponse& response,
                                       std::string_view caller, int64_t time_ns) {
  signer::v1::AuditRecord record;
  record.set_time_ns(time_ns);
  record.set_caller(std::string(caller));
  record.set_request_id(request.request_id());
  record.set_key_id(request.key_id());
  record.set_key_version(response.key_version());
  record.set_request_digest(response.request_digest());
  record.set_signed_(response.signed_());
  record.set_refusal(response.refusal());
  record.set_reason(response.reason());
  return record;
}

void SealAuditRecord(uint64_t seq, std::string_view prev_hash, signer::v1::AuditRecord* record) {
  record->set_seq(seq);
  record->set_prev_hash(std::string(prev_hash));
  record->clear_hash();
  record->set_hash(ComputeAuditHash(*record));
}

std::optional<AuditChainBreak> AuditChainVerifier::Next(const signer::v1::AuditRecord& record) {
  if (last_seq_.has_value() && record.seq() != *last_seq_ + 1) {
    return AuditChainBreak{record.seq(),
                           absl::StrCat("seq ", record.seq(), " follows seq ", *last_seq_,
                                        ": a record is missing, repeated or out of order")};
  }
  if (!SameBytes(record.prev_hash(), expected_prev_hash_)) {
    return AuditChainBreak{record.seq(),
                           last_seq_.has_value()
                               ? absl::StrCat("prev_hash is not the hash of seq ", *last_seq_,
                                              ": a record before it was altered or replaced")
                               : std::string("prev_hash is not the chain's anchor")};
  }
  std::string computed = ComputeAuditHash(record);
  if (!SameBytes(record.hash(), computed)) {
    return AuditChainBreak{record.seq(),
                           "hash does not match the record's content: the record was altered"};
  }
  expected_prev_hash_ = std::move(computed);
  last_seq_ = record.seq();
  return std::nullopt;
}

std::optional<AuditChainBreak> VerifyAuditChain(std::span<const signer::v1::AuditRecord> records,
                                                std::string_view anchor) {
  AuditChainVerifier verifier{std::string(anchor)};
  for (const signer::v1::AuditRecord& record : records) {
    if (std::optional<AuditChainBreak> broken = verifier.Next(record)) return broken;
  }
  return std::nullopt;
}

}  // namespace tradeplane::signing
