// The signing audit log as a hash chain: each record's hash covers its
// content and the previous record's hash, so removing, reordering or editing
// a stored record breaks every later link.
//
//   hash = SHA-256(canonical(record))
//   canonical = "tradeplane.signer.v1.AuditRecord/1" (length-prefixed tag),
//     u64 seq, i64 time_ns, caller, request_id, key_id, u32 key_version,
//     request_digest, bool signed, refusal (i64), reason, prev_hash
// (canonical_writer rules: big-endian fixed widths, u32-length-prefixed
// strings). The record's own `hash` field is not part of the encoding. The
// first record of a log links to kAuditGenesisHash (32 zero bytes); a log
// that is pruned keeps verifying from an anchor: the hash of the last record
// removed.
#ifndef TRADEPLANE_SIGNING_AUDIT_CHAIN_H_
#define TRADEPLANE_SIGNING_AUDIT_CHAIN_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tradeplane/signer/v1/signer.pb.h"

namespace tradeplane::signing {

inline const std::string kAuditGenesisHash(32, '\0');

std::string CanonicalAuditRecord(const signer::v1::AuditRecord& record);
// 32 raw bytes.
std::string ComputeAuditHash(const signer::v1::AuditRecord& record);

// The record the service appends for one answered request: everything but
// seq, prev_hash and hash (see SealAuditRecord).
signer::v1::AuditRecord AuditRecordFor(const signer::v1::SignRequest& request,
                                       const signer::v1::SignResponse& response,
                                       std::string_view caller, int64_t time_ns);

// Sets seq and prev_hash, then hash.
void SealAuditRecord(uint64_t seq, std::string_view prev_hash, signer::v1::AuditRecord* record);

struct AuditChainBreak {
  uint64_t seq = 0;    // the first record that does not verify
  std::string reason;  // what is wrong with it
};

// Walks records one at a time (they can be streamed from the store).
class AuditChainVerifier {
 public:
  // `anchor` is the prev_hash the first record must carry.
  explicit AuditChainVerifier(std::string anchor = kAuditGenesisHash)
      : expected_prev_hash_(std::move(anchor)) {}

  // nullopt when `record` links; otherwise the break (and every later record
  // is unverifiable: stop there).
  std::optional<AuditChainBreak> Next(const signer::v1::AuditRecord& record);

 private:
  std::string expected_prev_hash_;
  std::optional<uint64_t> last_seq_;
};

std::optional<AuditChainBreak> VerifyAuditChain(std::span<const signer::v1::AuditRecord> records,
                                                std::string_view anchor = kAuditGenesisHash);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_AUDIT_CHAIN_H_
