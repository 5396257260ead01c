// The signer's repository (db/migrations/0004_signer.sql): the signatures it
// made by request id, the EVM nonces it allocated, and the hash-chained audit
// of every request it answered.
//
// One writer at a time appends to the audit chain: every transaction that
// appends takes a transaction-scoped advisory lock first, reads the chain's
// head, seals the new record onto it (the hashes come from the caller's
// AuditSealer, i.e. libs/signing) and inserts it; the table's unique seq and
// unique prev_hash refuse a fork even without the lock. A signature, its nonce
// and its audit record commit together or not at all.
//
// Thread-safe (the Database's pool); calls block on the database.
#ifndef TRADEPLANE_STORE_SIGNER_STORE_H_
#define TRADEPLANE_STORE_SIGNER_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/store/database.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::store {

// Sets seq, prev_hash and hash of a record about to be appended after a
// record whose hash is `prev_hash` (32 zero bytes for the first record).
using AuditSealer =
    std::function<void(uint64_t seq, std::string_view prev_hash, signer::v1::AuditRecord* record)>;

// What the store remembers of a signed request.
struct StoredSignature {
  std::string request_digest;  // 32 raw bytes
  signer::v1::SignResponse response;
  uint64_t audit_seq = 0;
};

// The nonce an EVM signature used.
struct EvmNonceUse {
  std::string account;  // "key_id@version"
  uint64_t chain_id = 0;
  uint64_t nonce = 0;
  bool allocated = false;  // the signer chose it (false: the caller did)
};

struct NewSignature {
  std::string request_id;
  std::string request_digest;
  signer::v1::SignResponse response;
  std::string caller;
  std::optional<EvmNonceUse> nonce;
};

struct EvmNonceState {
  std::string account;
  uint64_t chain_id = 0;
  uint64_t next_nonce = 0;
  bool exhausted = false;  // nonce 2^64 - 1 was used
};

struct AuditChainTail {
  uint64_t last_seq = 0;        // 0: no record
  uint64_t max_signed_seq = 0;  // the highest audit seq a signature refers to
};

class SignerStore {
 public:
  SignerStore(Database& db, AuditSealer sealer) : db_(db), sealer_(std::move(sealer)) {}

  // The signature made for `request_id`, or nullopt when there is none.
  absl::StatusOr<std::optional<StoredSignature>> FindSignature(std::string_view request_id);

  // In one transaction: seals and appends `audit`, records the signature
  // under its request id (pointing at that audit record) and, for EVM, moves
  // the account's next nonce past the one used. Errors, with nothing written:
  //   ALREADY_EXISTS  the request id was signed meanwhile (or an allocated
  //                   nonce was already used: the caller's view is stale)
  //   ABORTED         the allocated nonce is below the stored next nonce
  //   UNAVAILABLE     the database cannot be reached
  // On success `audit` holds its seq, prev_hash and hash.
  absl::Status RecordSignature(const NewSignature& signature, signer::v1::AuditRecord* audit);

  // Seals and appends `records`, in order, in one transaction.
  absl::Status AppendAudit(std::span<signer::v1::AuditRecord> records);

  // The newest `n` records, oldest first.
  absl::StatusOr<std::vector<signer::v1::AuditRecord>> TailAudit(uint32_t n);

  // Every record in seq order, read `batch` at a time (each batch its own
  // transaction); stops early when `visit` returns false.
  absl::Status ScanAudit(const std::function<bool(const signer::v1::AuditRecord&)>& visit,
                         uint32_t batch = 1000);

  // The chain's last seq and the highest seq a signature refers to: a
  // signature pointing past the end means records were cut off the end.
  absl::StatusOr<AuditChainTail> ReadAuditTail();

  // The next nonce of every account and chain the signer has used.
  absl::StatusOr<std::vector<EvmNonceState>> LoadNonces();

 private:
  Database& db_;
  AuditSealer sealer_;
};

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_SIGNER_STORE_H_
