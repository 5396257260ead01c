// The signer's shell: the keystore opened into the SigningEngine, a REP
// socket (CURVE, allow-listed clients only) answering SignRequest, and
// PostgreSQL around every answer:
//   - a request id is signed at most once (signer_requests, unique): a retry
//     with the same content gets the stored response, different content is
//     SIGN_REFUSAL_REPLAY;
//   - a signature, its EVM nonce and its audit record commit in one
//     transaction before the answer leaves, so nothing is signed unrecorded
//     (no database: SIGN_REFUSAL_STORE_UNAVAILABLE);
//   - every request, signed or refused, is appended to the hash-chained
//     audit (signer_audit); refusals made while the database is down wait in
//     memory, in order, and are appended when it is back.
// Admin: SignerAdmin.ListKeys (metadata only) and TailAudit. Everything runs
// on the main loop, one request at a time.
#ifndef TRADEPLANE_SERVICES_SIGNER_SIGNER_SERVICE_H_
#define TRADEPLANE_SERVICES_SIGNER_SIGNER_SERVICE_H_

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/secret_bytes.h"
#include "tradeplane/signing/signing_engine.h"
#include "tradeplane/store/signer_store.h"

#include "absl/status/statusor.h"
#include "caller_names.h"
#include "keystore_file.h"
#include "staged_nonce_allocator.h"

namespace tradeplane::signer_service {

// The port plan's endpoint and the defaults for what `config` leaves out.
void ApplyDefaults(config::v1::SignerConfig* config);

inline constexpr uint32_t kDefaultRotationGraceS = 3600;
inline constexpr uint32_t kDefaultKeystoreCheckIntervalMs = 2000;
// Audit records of refusals made while the database was down, kept in
// memory until it is back; beyond this the oldest are dropped (and counted).
inline constexpr size_t kMaxPendingAuditRecords = 100'000;

class SignerService final : public admin::v1::SignerAdmin::Service {
 public:
  static absl::StatusOr<std::unique_ptr<SignerService>> Create(
      const config::v1::SignerConfig& config, service::ServiceRuntime& runtime);
  ~SignerService() override;

  void FillStatus(admin::v1::ServiceStatus* status);
  std::vector<grpc::Service*> AdminServices() { return {this}; }

  grpc::Status ListKeys(grpc::ServerContext* context, const admin::v1::ListKeysRequest* request,
                        admin::v1::ListKeysResponse* response) override;
  grpc::Status TailAudit(grpc::ServerContext* context, const admin::v1::TailAuditRequest* request,
                         admin::v1::TailAuditResponse* response) override;

 private:
  SignerService(const config::v1::SignerConfig& config, service::ServiceRuntime& runtime);
  absl::Status Start();
  void RegisterMetrics();
  absl::Status LoadKeystore(bool at_start);
  void CheckKeystoreFile();
  void OnTimer();

  signer::v1::SignResponse Handle(const signer::v1::SignRequest& request,
                                  const bus::RequestContext& context);
  signer::v1::SignResponse SignNew(const signer::v1::SignRequest& request,
                                   const std::string& caller, const std::string& digest,
                                   Timestamp now);
  signer::v1::SignResponse AnswerStored(const signer::v1::SignRequest& request,
                                        const std::string& caller, const std::string& digest,
                                        const store::StoredSignature& stored, Timestamp now);
  // A refusal that is not the engine's (client, store).
  signer::v1::SignResponse Refusal(const signer::v1::SignRequest& request,
                                   const std::string& digest, signer::v1::SignRefusal code,
                                   std::string reason, uint32_t key_version = 0) const;
  signer::v1::SignResponse StoreUnavailable(const signer::v1::SignRequest& request,
                                            const std::string& digest, const std::string& caller,
                                            Timestamp now, std::string_view why,
                                            uint32_t key_version = 0);
  // Appends the audit record of an answer that stores nothing else; when the
  // database fails, the record waits in memory.
  void AuditAnswer(const signer::v1::SignRequest& request, const signer::v1::SignResponse& response,
                   const std::string& caller, Timestamp now, std::string reason = "");
  void QueueAudit(signer::v1::AuditRecord record);
  // True when the database answers and the signer's state was (re)loaded
  // from it: nonces, and the audit records that waited.
  bool EnsureStore();
  void LoseStore(const absl::Status& why);
  void Count(const signer::v1::SignResponse& response, bool retry,
             std::chrono::steady_clock::time_point started);

  config::v1::SignerConfig config_;
  service::ServiceRuntime& runtime_;
  std::optional<CallerNames> callers_;
  signing::SecretBytes passphrase_;
  std::optional<FileIdentity> keystore_identity_;
  StagedNonceAllocator nonces_;
  signing::SigningEngine engine_{nonces_};
  std::map<std::string, signer::v1::Algorithm, std::less<>> algorithm_of_key_;
  std::unique_ptr<store::SignerStore> store_;
  std::unique_ptr<bus::ReplyServer> server_;
  bool store_loaded_ = false;
  std::deque<signer::v1::AuditRecord> pending_audit_;
  std::chrono::steady_clock::time_point next_keystore_check_;

  telemetry::Counter* signed_total_ = nullptr;
  telemetry::Counter* retries_total_ = nullptr;
  std::map<int, telemetry::Counter*> refused_total_;  // by SignRefusal
  std::map<int, telemetry::Histogram*> latency_;      // by Algorithm
  telemetry::Counter* curve_refusals_ = nullptr;
  telemetry::Counter* audit_records_ = nullptr;
  telemetry::Counter* audit_dropped_ = nullptr;
  telemetry::Gauge* audit_pending_ = nullptr;
  telemetry::Counter* store_unavailable_ = nullptr;
  telemetry::Gauge* keys_gauge_ = nullptr;
  telemetry::Counter* keystore_reloads_ = nullptr;
  telemetry::Counter* keystore_reload_failures_ = nullptr;
  uint64_t counted_curve_refusals_ = 0;

  // For FillStatus (any thread).
  std::atomic<uint64_t> status_signed_{0};
  std::atomic<uint64_t> status_refused_{0};
  std::atomic<uint64_t> status_retries_{0};
  std::atomic<uint64_t> status_audit_records_{0};
  std::atomic<uint64_t> status_store_unavailable_{0};
  std::atomic<uint64_t> status_keys_{0};
  std::atomic<uint64_t> status_pending_{0};
  std::atomic<bool> status_store_loaded_{false};
};

}  // namespace tradeplane::signer_service

#endif  // TRADEPLANE_SERVICES_SIGNER_SIGNER_SERVICE_H_
