#include "tradeplane/store/signer_store.h"

#include <charconv>
#include <stdexcept>

#include "tradeplane/core/str_cat.h"

#include "database_impl.h"

namespace tradeplane::store {
namespace {

// Any constant: the advisory lock that makes the audit chain single-writer.
constexpr int64_t kSignerAuditLockKey = 0x7369676e65726175;  // "signerau"
const std::string kGenesisHash(32, '\0');
// 2^64: the stored next nonce once nonce 2^64 - 1 was used.
constexpr std::string_view kNonceSpaceEnd = "18446744073709551616";

// Thrown inside a transaction to roll it back after `failure` was set.
struct Rollback : std::runtime_error {
  Rollback() : std::runtime_error("rolled back") {}
};

constexpr char kAuditColumns[] =
    "seq, time_ns, caller, request_id, key_id, key_version, request_digest, signed, refusal,"
    " reason, prev_hash, hash";

signer::v1::AuditRecord AuditFromRow(const pqxx::row& row) {
  signer::v1::AuditRecord r;
  r.set_seq(static_cast<uint64_t>(row[0].as<int64_t>()));
  r.set_time_ns(row[1].as<int64_t>());
  r.set_caller(row[2].as<std::string>());
  r.set_request_id(row[3].as<std::string>());
  r.set_key_id(row[4].as<std::string>());
  r.set_key_version(static_cast<uint32_t>(row[5].as<int64_t>()));
  r.set_request_digest(pqxx::binarystring(row[6]).str());
  r.set_signed_(row[7].as<bool>());
  r.set_refusal(static_cast<signer::v1::SignRefusal>(row[8].as<int>()));
  r.set_reason(row[9].as<std::string>());
  r.set_prev_hash(pqxx::binarystring(row[10]).str());
  r.set_hash(pqxx::binarystring(row[11]).str());
  return r;
}

// Seals `record` onto the chain's head and inserts it. The caller holds the
// writer lock.
void AppendInTransaction(pqxx::work& tx, const AuditSealer& sealer,
                         signer::v1::AuditRecord* record) {
  pqxx::result head = tx.exec("SELECT seq, hash FROM signer_audit ORDER BY seq DESC LIMIT 1");
  uint64_t seq = 1;
  std::string prev_hash = kGenesisHash;
  if (!head.empty()) {
    seq = static_cast<uint64_t>(head[0][0].as<int64_t>()) + 1;
    prev_hash = pqxx::binarystring(head[0][1]).str();
  }
  sealer(seq, prev_hash, record);
  tx.exec_params(
      "INSERT INTO signer_audit (seq, time_ns, caller, request_id, key_id, key_version,"
      " request_digest, signed, refusal, reason, prev_hash, hash)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      static_cast<int64_t>(record->seq()), record->time_ns(), record->caller(),
      record->request_id(), record->key_id(), static_cast<int64_t>(record->key_version()),
      pqxx::binarystring(record->request_digest()), record->signed_(),
      static_cast<int>(record->refusal()), record->reason(),
      pqxx::binarystring(record->prev_hash()), pqxx::binarystring(record->hash()));
}

void LockAuditWriter(pqxx::work& tx) {
  tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kSignerAuditLockKey) + ")");
}

}  // namespace

absl::StatusOr<std::optional<StoredSignature>> SignerStore::FindSignature(
    std::string_view request_id) {
  std::optional<StoredSignature> found;
  absl::Status parse_error;
  absl::Status s = db_.impl().Transact("find signature", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "SELECT request_digest, response, audit_seq FROM signer_requests WHERE request_id = $1",
        std::string(request_id));
    if (r.empty()) return;
    StoredSignature stored;
    stored.request_digest = pqxx::binarystring(r[0][0]).str();
    std::string response = pqxx::binarystring(r[0][1]).str();
    if (!stored.response.ParseFromString(response)) {
      parse_error = absl::DataLossError(
          StrCat("the stored response of request id ", request_id, " does not parse"));
      return;
    }
    stored.audit_seq = static_cast<uint64_t>(r[0][2].as<int64_t>());
    found = std::move(stored);
  });
  if (!s.ok()) return s;
  if (!parse_error.ok()) return parse_error;
  return found;
}

absl::Status SignerStore::RecordSignature(const NewSignature& signature,
                                          signer::v1::AuditRecord* audit) {
  absl::Status failure;
  signer::v1::AuditRecord sealed = *audit;
  absl::Status s = db_.impl().Transact("record signature", [&](pqxx::work& tx) {
    LockAuditWriter(tx);
    const EvmNonceUse* nonce = signature.nonce ? &*signature.nonce : nullptr;
    std::string chain_id, nonce_text;
    if (nonce != nullptr) {
      chain_id = std::to_string(nonce->chain_id);
      nonce_text = std::to_string(nonce->nonce);
      if (nonce->allocated) {
        pqxx::result r = tx.exec_params(
            "SELECT next_nonce > $3::numeric FROM signer_evm_nonces"
            " WHERE account = $1 AND chain_id = $2::numeric FOR UPDATE",
            nonce->account, chain_id, nonce_text);
        if (!r.empty() && r[0][0].as<bool>()) {
          failure = absl::AbortedError(
              StrCat("nonce ", nonce->nonce, " of ", nonce->account, " on chain ", nonce->chain_id,
                     " is below the stored next nonce: it was used already"));
          throw Rollback();
        }
      }
      tx.exec_params(
          "INSERT INTO signer_evm_nonces (account, chain_id, next_nonce)"
          " VALUES ($1, $2::numeric, $3::numeric + 1)"
          " ON CONFLICT (account, chain_id) DO UPDATE SET"
          " next_nonce = GREATEST(signer_evm_nonces.next_nonce, EXCLUDED.next_nonce),"
          " updated_at = now()",
          nonce->account, chain_id, nonce_text);
    }
    sealed = *audit;
    AppendInTransaction(tx, sealer_, &sealed);
    std::string response;
    signature.response.SerializeToString(&response);
    tx.exec_params(
        "INSERT INTO signer_requests (request_id, request_digest, response, caller, key_id,"
        " key_version, audit_seq, evm_account, evm_chain_id, evm_nonce, nonce_allocated)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10::numeric, $11)",
        signature.request_id, pqxx::binarystring(signature.request_digest),
        pqxx::binarystring(response), signature.caller, signature.response.key_id(),
        static_cast<int64_t>(signature.response.key_version()), static_cast<int64_t>(sealed.seq()),
        nonce != nullptr ? nonce->account.c_str() : static_cast<const char*>(nullptr),
        nonce != nullptr ? chain_id.c_str() : static_cast<const char*>(nullptr),
        nonce != nullptr ? nonce_text.c_str() : static_cast<const char*>(nullptr),
        nonce != nullptr && nonce->allocated);
  });
  if (!failure.ok()) return failure;
  if (!s.ok()) return s;
  *audit = std::move(sealed);
  return absl::OkStatus();
}

absl::Status SignerStore::AppendAudit(std::span<signer::v1::AuditRecord> records) {
  if (records.empty()) return absl::OkStatus();
  std::vector<signer::v1::AuditRecord> sealed(records.begin(), records.end());
  absl::Status s = db_.impl().Transact("append signer audit", [&](pqxx::work& tx) {
    LockAuditWriter(tx);
    // A retried transaction starts again from the records as given.
    sealed.assign(records.begin(), records.end());
    for (signer::v1::AuditRecord& record : sealed) AppendInTransaction(tx, sealer_, &record);
  });
  if (!s.ok()) return s;
  for (size_t i = 0; i < records.size(); ++i) records[i] = std::move(sealed[i]);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<signer::v1::AuditRecord>> SignerStore::TailAudit(uint32_t n) {
  std::vector<signer::v1::AuditRecord> out;
  absl::Status s = db_.impl().Transact("tail signer audit", [&](pqxx::work& tx) {
    out.clear();
    pqxx::result r = tx.exec_params(
        StrCat("SELECT ", kAuditColumns, " FROM signer_audit ORDER BY seq DESC LIMIT $1"),
        static_cast<int64_t>(n));
    for (auto it = r.rbegin(); it != r.rend(); ++it) out.push_back(AuditFromRow(*it));
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status SignerStore::ScanAudit(
    const std::function<bool(const signer::v1::AuditRecord&)>& visit, uint32_t batch) {
  if (batch == 0) batch = 1000;
  int64_t after = 0;
  bool more = true;
  while (more) {
    std::vector<signer::v1::AuditRecord> page;
    absl::Status s = db_.impl().Transact("scan signer audit", [&](pqxx::work& tx) {
      page.clear();
      pqxx::result r =
          tx.exec_params(StrCat("SELECT ", kAuditColumns,
                                " FROM signer_audit WHERE seq > $1 ORDER BY seq LIMIT $2"),
                         after, static_cast<int64_t>(batch));
      for (const auto& row : r) page.push_back(AuditFromRow(row));
    });
    if (!s.ok()) return s;
    more = page.size() == batch;
    for (const signer::v1::AuditRecord& record : page) {
      if (!visit(record)) return absl::OkStatus();
      after = static_cast<int64_t>(record.seq());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AuditChainTail> SignerStore::ReadAuditTail() {
  AuditChainTail tail;
  absl::Status s = db_.impl().Transact("read signer audit tail", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec(
        "SELECT (SELECT coalesce(max(seq), 0) FROM signer_audit),"
        " (SELECT coalesce(max(audit_seq), 0) FROM signer_requests)");
    tail.last_seq = static_cast<uint64_t>(r[0][0].as<int64_t>());
    tail.max_signed_seq = static_cast<uint64_t>(r[0][1].as<int64_t>());
  });
  if (!s.ok()) return s;
  return tail;
}

absl::StatusOr<std::vector<EvmNonceState>> SignerStore::LoadNonces() {
  std::vector<EvmNonceState> out;
  absl::Status parse_error;
  absl::Status s = db_.impl().Transact("load EVM nonces", [&](pqxx::work& tx) {
    out.clear();
    pqxx::result r = tx.exec(
        "SELECT account, chain_id::text, next_nonce::text FROM signer_evm_nonces"
        " ORDER BY account, chain_id");
    for (const auto& row : r) {
      EvmNonceState state;
      state.account = row[0].as<std::string>();
      std::string chain = row[1].as<std::string>();
      std::string next = row[2].as<std::string>();
      auto parse = [](const std::string& text, uint64_t* value) {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
        return ec == std::errc() && end == text.data() + text.size();
      };
      if (!parse(chain, &state.chain_id)) {
        parse_error = absl::DataLossError(StrCat("signer_evm_nonces: chain id ", chain));
        return;
      }
      if (next == kNonceSpaceEnd) {
        state.exhausted = true;
      } else if (!parse(next, &state.next_nonce)) {
        parse_error = absl::DataLossError(StrCat("signer_evm_nonces: next nonce ", next));
        return;
      }
      out.push_back(std::move(state));
    }
  });
  if (!s.ok()) return s;
  if (!parse_error.ok()) return parse_error;
  return out;
}

}  // namespace tradeplane::store
