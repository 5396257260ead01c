#include "signer_service.h"

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/audit_chain.h"
#include "tradeplane/signing/keystore.h"
#include "tradeplane/signing/replay.h"
#include "tradeplane/signing/request_digest.h"
#include "tradeplane/telemetry/log.h"

#include "secret_input.h"

namespace tradeplane::signer_service {
namespace {

using signer::v1::SignRefusal;
using signer::v1::SignRequest;
using signer::v1::SignResponse;

// Caller-supplied text in logs is cut to this many characters.
constexpr size_t kMaxLoggedIdLength = 128;
// Audit records that waited are appended this many per transaction.
constexpr size_t kPendingFlushBatch = 500;

std::string_view Clip(std::string_view text) { return text.substr(0, kMaxLoggedIdLength); }

std::string KeyName(std::string_view key_id) {
  return std::string(key_id.substr(0, key_id.find('@')));
}

}  // namespace

void ApplyDefaults(config::v1::SignerConfig* c) {
  int instance = static_cast<int>(c->common().identity().instance());
  if (c->server().endpoint().empty()) {
    c->mutable_server()->set_endpoint(StrCat("tcp://*:", BusPort(ServiceId::kSigner, 0, instance)));
  }
  if (c->rotation_grace_s() == 0) c->set_rotation_grace_s(kDefaultRotationGraceS);
  if (c->keystore_check_interval_ms() == 0) {
    c->set_keystore_check_interval_ms(kDefaultKeystoreCheckIntervalMs);
  }
}

SignerService::SignerService(const config::v1::SignerConfig& config,
                             service::ServiceRuntime& runtime)
    : config_(config), runtime_(runtime) {}

SignerService::~SignerService() = default;

absl::StatusOr<std::unique_ptr<SignerService>> SignerService::Create(
    const config::v1::SignerConfig& config, service::ServiceRuntime& runtime) {
  std::unique_ptr<SignerService> s(new SignerService(config, runtime));
  absl::Status started = s->Start();
  if (!started.ok()) return started;
  return s;
}

void SignerService::RegisterMetrics() {
  telemetry::MetricsRegistry& m = runtime_.metrics();
  const std::string requests = service::MetricName(ServiceId::kSigner, "requests_total");
  constexpr std::string_view kRequestsHelp =
      "Sign requests answered, by outcome (signed, retry: the stored response again, refused) "
      "and refusal code.";
  signed_total_ = &m.GetCounter(requests, kRequestsHelp, {{"outcome", "signed"}, {"code", "NONE"}});
  retries_total_ = &m.GetCounter(requests, kRequestsHelp, {{"outcome", "retry"}, {"code", "NONE"}});
  const google::protobuf::EnumDescriptor* refusals = signer::v1::SignRefusal_descriptor();
  for (int i = 0; i < refusals->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = refusals->value(i);
    if (v->number() == 0) continue;
    refused_total_[v->number()] =
        &m.GetCounter(requests, kRequestsHelp,
                      {{"outcome", "refused"}, {"code", std::string(ShortEnumName(*v))}});
  }
  const google::protobuf::EnumDescriptor* algorithms = signer::v1::Algorithm_descriptor();
  for (int i = 0; i < algorithms->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = algorithms->value(i);
    if (v->number() == 0) continue;
    latency_[v->number()] = &m.GetHistogram(
        service::MetricName(ServiceId::kSigner, "sign_latency_seconds"),
        "Signed requests: from receipt to the answer, the signature and its audit record "
        "committed, by algorithm.",
        telemetry::LatencyBucketsSeconds(), {{"algorithm", std::string(ShortEnumName(*v))}});
  }
  curve_refusals_ = &m.GetCounter(
      service::MetricName(ServiceId::kSigner, "curve_refusals_total"),
      "Connections refused by CURVE authentication (client key not on the allow-list).");
  audit_records_ = &m.GetCounter(service::MetricName(ServiceId::kSigner, "audit_records_total"),
                                 "Records appended to the signing audit chain.");
  audit_dropped_ =
      &m.GetCounter(service::MetricName(ServiceId::kSigner, "audit_records_dropped_total"),
                    "Audit records of refusals lost because too many waited for the database "
                    "(each is still in the log).");
  audit_pending_ = &m.GetGauge(service::MetricName(ServiceId::kSigner, "audit_records_pending"),
                               "Audit records waiting for the database.");
  store_unavailable_ = &m.GetCounter(
      service::MetricName(ServiceId::kSigner, "store_unavailable_total"),
      "Requests refused because the database could not record them (nothing was signed).");
  keys_gauge_ = &m.GetGauge(service::MetricName(ServiceId::kSigner, "key_versions"),
                            "Key versions loaded from the keystore.");
  keystore_reloads_ =
      &m.GetCounter(service::MetricName(ServiceId::kSigner, "keystore_loads_total"),
                    "Times the keystore was loaded (start, and after the file changed).");
  keystore_reload_failures_ =
      &m.GetCounter(service::MetricName(ServiceId::kSigner, "keystore_load_failures_total"),
                    "Keystore changes that could not be loaded (the keys before stay in use).");
}

absl::Status SignerService::Start() {
  RegisterMetrics();
  if (!config_.server().curve().enabled() && !config_.allow_insecure_transport()) {
    return absl::InvalidArgumentError(
        "server.curve: the signer serves only CURVE-authenticated clients; enable server.curve "
        "(key_pair_file and allowed_client_keys or allowed_clients_file), or set "
        "allow_insecure_transport: true (tests of the non-CURVE paths only)");
  }
  if (config_.keystore().empty()) {
    return absl::InvalidArgumentError("keystore: the keystore file is required");
  }
  if (runtime_.database() == nullptr) {
    return absl::InvalidArgumentError(
        "common.store.conninfo: the signer records every answer in PostgreSQL before giving it, "
        "so it needs its database");
  }
  absl::StatusOr<CallerNames> callers = CallerNames::Create(config_);
  if (!callers.ok()) return callers.status();
  callers_ = *std::move(callers);
  absl::StatusOr<signing::SecretBytes> passphrase = ReadPassphrase(config_.passphrase_file());
  if (!passphrase.ok()) {
    return absl::Status(passphrase.status().code(),
                        StrCat(ToStd(passphrase.status().message()),
                               " (passphrase_file in the config, or the environment)"));
  }
  passphrase_ = *std::move(passphrase);
  if (absl::Status s = LoadKeystore(/*at_start=*/true); !s.ok()) return s;

  store_ = std::make_unique<store::SignerStore>(
      *runtime_.database(),
      [](uint64_t seq, std::string_view prev_hash, signer::v1::AuditRecord* record) {
        signing::SealAuditRecord(seq, prev_hash, record);
      });
  absl::StatusOr<std::unique_ptr<bus::ReplyServer>> server =
      bus::ReplyServer::Create(runtime_.bus(), config_.server(), "signer");
  if (!server.ok()) return server.status();
  server_ = std::move(*server);
  server_->Handle<SignRequest, SignResponse>([this](const SignRequest& request,
                                                    const bus::RequestContext& context,
                                                    SignResponse* response) {
    telemetry::ScopedSpan span(
        runtime_.StartSpan("signer.sign", context.trace, telemetry::SpanKind::kServer),
        context.trace);
    span->SetAttribute("key_id", request.key_id());
    *response = Handle(request, context);
    span->SetAttribute("signed", response->signed_());
    // A refusal is exported even when the trace is not sampled.
    if (!response->signed_()) {
      span->SetError(StrCat(ShortEnumName(response->refusal()), ": ", response->reason()));
    }
    return absl::OkStatus();
  });
  runtime_.poller().Add(*server_);
  runtime_.poller().AddTimer(std::chrono::milliseconds(250), [this] { OnTimer(); });
  next_keystore_check_ = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(config_.keystore_check_interval_ms());
  runtime_.SetReady(false, "waiting for the database");
  EnsureStore();
  telemetry::LogInfo("signer serving",
                     {{"endpoint", server_->endpoint()},
                      {"transport", config_.server().curve().enabled() ? "curve" : "insecure"},
                      {"key_versions", static_cast<uint64_t>(status_keys_.load())},
                      {"client_names", callers_->restricted()}});
  return absl::OkStatus();
}

absl::Status SignerService::LoadKeystore(bool at_start) {
  const std::string& path = config_.keystore();
  absl::StatusOr<FileIdentity> identity = IdentifyFile(path);
  absl::Status s;
  std::optional<signing::Keystore> keystore;
  absl::StatusOr<std::string> file = ReadKeystoreFile(path);
  if (!file.ok()) {
    s = file.status();
  } else {
    absl::StatusOr<signing::Keystore> opened = signing::Keystore::Open(*file, passphrase_);
    if (!opened.ok()) {
      s = opened.status();
    } else {
      keystore.emplace(*std::move(opened));
      s = engine_.LoadKeys(*keystore);
    }
  }
  if (identity.ok()) keystore_identity_ = *identity;  // a failed file is retried when it changes
  if (!s.ok()) {
    if (!at_start) keystore_reload_failures_->Increment();
    telemetry::LogError(at_start ? "cannot open the keystore" : "keystore change not loaded",
                        {{"keystore", path}, {"error", s}});
    return absl::Status(s.code(), StrCat("keystore '", path, "': ", ToStd(s.message())));
  }
  algorithm_of_key_.clear();
  for (const signer::v1::KeyMetadata& m : keystore->List()) {
    algorithm_of_key_[m.key_id()] = m.algorithm();
  }
  status_keys_.store(keystore->entries().size());
  keys_gauge_->Set(static_cast<double>(keystore->entries().size()));
  keystore_reloads_->Increment();
  telemetry::LogInfo(at_start ? "keystore loaded" : "keystore reloaded",
                     {{"keystore", path},
                      {"key_ids", static_cast<uint64_t>(algorithm_of_key_.size())},
                      {"key_versions", static_cast<uint64_t>(keystore->entries().size())}});
  return absl::OkStatus();
}

void SignerService::CheckKeystoreFile() {
  absl::StatusOr<FileIdentity> identity = IdentifyFile(config_.keystore());
  if (!identity.ok() || (keystore_identity_.has_value() && *identity == *keystore_identity_)) {
    return;
  }
  (void)LoadKeystore(/*at_start=*/false);
}

void SignerService::OnTimer() {
  EnsureStore();
  uint64_t refusals = runtime_.bus().curve_refusals();
  if (refusals > counted_curve_refusals_) {
    curve_refusals_->Increment(static_cast<double>(refusals - counted_curve_refusals_));
    counted_curve_refusals_ = refusals;
  }
  auto now = std::chrono::steady_clock::now();
  if (now >= next_keystore_check_) {
    next_keystore_check_ = now + std::chrono::milliseconds(config_.keystore_check_interval_ms());
    CheckKeystoreFile();
  }
}

bool SignerService::EnsureStore() {
  if (!runtime_.database_ready()) {
    if (store_loaded_) LoseStore(absl::UnavailableError("the database does not answer"));
    return false;
  }
  if (store_loaded_) return true;
  // The audit records that waited go first, so the chain keeps their order.
  while (!pending_audit_.empty()) {
    size_t n = std::min(pending_audit_.size(), kPendingFlushBatch);
    std::vector<signer::v1::AuditRecord> batch(pending_audit_.begin(), pending_audit_.begin() + n);
    absl::Status s = store_->AppendAudit(batch);
    if (!s.ok()) {
      LoseStore(s);
      return false;
    }
    pending_audit_.erase(pending_audit_.begin(), pending_audit_.begin() + n);
    audit_records_->Increment(static_cast<double>(n));
    status_audit_records_.fetch_add(n);
  }
  audit_pending_->Set(0);
  status_pending_.store(0);
  absl::StatusOr<std::vector<store::EvmNonceState>> nonces = store_->LoadNonces();
  if (!nonces.ok()) {
    LoseStore(nonces.status());
    return false;
  }
  nonces_.Reset(*nonces);
  store_loaded_ = true;
  status_store_loaded_.store(true);
  runtime_.SetReady(true);
  telemetry::LogInfo("signer store loaded",
                     {{"evm_accounts", static_cast<uint64_t>(nonces->size())}});
  return true;
}

void SignerService::LoseStore(const absl::Status& why) {
  nonces_.MarkUnavailable();
  if (store_loaded_ || runtime_.ready()) {
    telemetry::LogError("signer store unavailable: refusing to sign", {{"error", why}});
  }
  store_loaded_ = false;
  status_store_loaded_.store(false);
  runtime_.SetReady(false, "database unavailable");
}

SignResponse SignerService::Refusal(const SignRequest& request, const std::string& digest,
                                    SignRefusal code, std::string reason,
                                    uint32_t key_version) const {
  SignResponse response;
  response.set_signed_(false);
  response.set_refusal(code);
  response.set_reason(std::move(reason));
  response.set_key_id(request.key_id());
  response.set_key_version(key_version);
  response.set_request_digest(digest);
  return response;
}

SignResponse SignerService::StoreUnavailable(const SignRequest& request, const std::string& digest,
                                             const std::string& caller, Timestamp now,
                                             std::string_view why, uint32_t key_version) {
  store_unavailable_->Increment();
  status_store_unavailable_.fetch_add(1);
  SignResponse response = Refusal(
      request, digest, signer::v1::SIGN_REFUSAL_STORE_UNAVAILABLE,
      StrCat("the signer cannot record the request, so it signs nothing: ", why), key_version);
  QueueAudit(signing::AuditRecordFor(request, response, caller, now.nanos()));
  return response;
}

void SignerService::QueueAudit(signer::v1::AuditRecord record) {
  // The log keeps every record, also those the queue may have to drop.
  telemetry::LogWarn("audit record waiting for the database",
                     {{"caller", record.caller()},
                      {"request_id", Clip(record.request_id())},
                      {"key_id", Clip(record.key_id())},
                      {"refusal", ShortEnumName(record.refusal())},
                      {"time_ns", record.time_ns()}});
  if (pending_audit_.size() >= kMaxPendingAuditRecords) {
    pending_audit_.pop_front();
    audit_dropped_->Increment();
  }
  pending_audit_.push_back(std::move(record));
  audit_pending_->Set(static_cast<double>(pending_audit_.size()));
  status_pending_.store(pending_audit_.size());
}

void SignerService::AuditAnswer(const SignRequest& request, const SignResponse& response,
                                const std::string& caller, Timestamp now, std::string reason) {
  signer::v1::AuditRecord record = signing::AuditRecordFor(request, response, caller, now.nanos());
  if (!reason.empty()) record.set_reason(std::move(reason));
  if (!EnsureStore()) {
    QueueAudit(std::move(record));
    return;
  }
  absl::Status s = store_->AppendAudit(std::span(&record, 1));
  if (!s.ok()) {
    LoseStore(s);
    QueueAudit(std::move(record));
    return;
  }
  audit_records_->Increment();
  status_audit_records_.fetch_add(1);
}

SignResponse SignerService::Handle(const SignRequest& request, const bus::RequestContext& context) {
  const auto started = std::chrono::steady_clock::now();
  const Timestamp now = runtime_.clock().Now();
  const std::string digest = signing::RequestDigest(request);
  std::optional<std::string> caller =
      callers_->Resolve(context.authenticated_caller, context.claimed_service);
  SignResponse response;
  bool retry = false;
  if (!caller.has_value()) {
    std::string who = context.authenticated_caller.empty()
                          ? std::string("an unauthenticated client")
                          : StrCat("client ", context.authenticated_caller);
    response = Refusal(request, digest, signer::v1::SIGN_REFUSAL_UNKNOWN_CLIENT,
                       StrCat(who, " is not in client_names: the signer does not serve it"));
    AuditAnswer(request, response,
                context.authenticated_caller.empty() ? std::string("unauthenticated")
                                                     : std::string(context.authenticated_caller),
                now);
  } else if (!EnsureStore()) {
    response = StoreUnavailable(request, digest, *caller, now, "the database is unavailable");
  } else {
    std::optional<store::StoredSignature> stored;
    const std::string& id = request.request_id();
    bool lookup_failed = false;
    if (!id.empty() && id.size() <= signing::kMaxRequestIdLength) {
      absl::StatusOr<std::optional<store::StoredSignature>> found = store_->FindSignature(id);
      if (!found.ok()) {
        LoseStore(found.status());
        response = StoreUnavailable(request, digest, *caller, now, ToStd(found.status().message()));
        lookup_failed = true;
      } else {
        stored = *std::move(found);
      }
    }
    if (lookup_failed) {
      // answered above
    } else if (stored.has_value()) {
      response = AnswerStored(request, *caller, digest, *stored, now);
      retry = response.signed_();
    } else {
      response = SignNew(request, *caller, digest, now);
    }
  }
  Count(response, retry, started);
  if (!response.signed_()) {
    telemetry::LogInfo("sign request refused",
                       {{"caller", caller.value_or(std::string(context.authenticated_caller))},
                        {"request_id", Clip(request.request_id())},
                        {"key_id", Clip(request.key_id())},
                        {"refusal", ShortEnumName(response.refusal())},
                        {"reason", response.reason()}});
  } else {
    telemetry::LogInfo(retry ? "sign request retried: stored response" : "request signed",
                       {{"caller", *caller},
                        {"request_id", Clip(request.request_id())},
                        {"key_id", response.key_id()},
                        {"key_version", response.key_version()}});
  }
  return response;
}

SignResponse SignerService::AnswerStored(const SignRequest& request, const std::string& caller,
                                         const std::string& digest,
                                         const store::StoredSignature& stored, Timestamp now) {
  if (signing::ClassifyReplay(&stored.request_digest, digest) == signing::ReplayVerdict::kRetry) {
    AuditAnswer(request, stored.response, caller, now,
                StrCat("retry: the response signed and recorded at audit seq ", stored.audit_seq,
                       " was answered again"));
    return stored.response;
  }
  SignResponse response = signing::ReplayConflictResponse(request, digest);
  AuditAnswer(request, response, caller, now);
  return response;
}

SignResponse SignerService::SignNew(const SignRequest& request, const std::string& caller,
                                    const std::string& digest, Timestamp now) {
  SignResponse response = engine_.Sign(request, now);
  if (!response.signed_()) {
    nonces_.Rollback();  // a refusal after a nonce was chosen burns none
    AuditAnswer(request, response, caller, now);
    return response;
  }
  store::NewSignature signature;
  signature.request_id = request.request_id();
  signature.request_digest = digest;
  signature.response = response;
  signature.caller = caller;
  signature.nonce = nonces_.staged();
  signer::v1::AuditRecord audit = signing::AuditRecordFor(request, response, caller, now.nanos());
  absl::Status s = store_->RecordSignature(signature, &audit);
  if (s.ok()) {
    nonces_.Commit();
    audit_records_->Increment();
    status_audit_records_.fetch_add(1);
    return response;
  }
  nonces_.Rollback();
  if (absl::IsAlreadyExists(s)) {
    // Signed meanwhile by another signer on the same database: answer as a
    // retry or a conflict, never with a second signature.
    absl::StatusOr<std::optional<store::StoredSignature>> found =
        store_->FindSignature(request.request_id());
    if (found.ok() && found->has_value()) {
      return AnswerStored(request, caller, digest, **found, now);
    }
  }
  // Whatever happened, the nonces and the chain head are reloaded before the
  // next signature.
  LoseStore(s);
  return StoreUnavailable(request, digest, caller, now, ToStd(s.message()), response.key_version());
}

void SignerService::Count(const SignResponse& response, bool retry,
                          std::chrono::steady_clock::time_point started) {
  if (!response.signed_()) {
    auto counter = refused_total_.find(static_cast<int>(response.refusal()));
    if (counter != refused_total_.end()) counter->second->Increment();
    status_refused_.fetch_add(1);
    return;
  }
  if (retry) {
    retries_total_->Increment();
    status_retries_.fetch_add(1);
    return;
  }
  signed_total_->Increment();
  status_signed_.fetch_add(1);
  auto algorithm = algorithm_of_key_.find(KeyName(response.key_id()));
  if (algorithm != algorithm_of_key_.end()) {
    auto histogram = latency_.find(static_cast<int>(algorithm->second));
    if (histogram != latency_.end()) {
      histogram->second->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
  }
}

grpc::Status SignerService::ListKeys(grpc::ServerContext*, const admin::v1::ListKeysRequest*,
                                     admin::v1::ListKeysResponse* response) {
  absl::StatusOr<std::vector<signer::v1::KeyMetadata>> keys =
      runtime_.executor().Call<std::vector<signer::v1::KeyMetadata>>(
          [this]() -> absl::StatusOr<std::vector<signer::v1::KeyMetadata>> {
            return engine_.ListKeys();
          });
  if (!keys.ok()) return admin::ToGrpc(keys.status());
  for (signer::v1::KeyMetadata& key : *keys) *response->add_keys() = std::move(key);
  return grpc::Status::OK;
}

grpc::Status SignerService::TailAudit(grpc::ServerContext*,
                                      const admin::v1::TailAuditRequest* request,
                                      admin::v1::TailAuditResponse* response) {
  uint32_t n = request->n() == 0 ? 20 : std::min<uint32_t>(request->n(), 10'000);
  absl::StatusOr<std::vector<signer::v1::AuditRecord>> records = store_->TailAudit(n);
  if (!records.ok()) return admin::ToGrpc(records.status());
  for (signer::v1::AuditRecord& record : *records) *response->add_records() = std::move(record);
  return grpc::Status::OK;
}

void SignerService::FillStatus(admin::v1::ServiceStatus* status) {
  auto counter = [&](std::string name, double value) {
    admin::v1::Counter* c = status->add_counters();
    c->set_name(std::move(name));
    c->set_value(value);
  };
  counter("requests_signed", static_cast<double>(status_signed_.load()));
  counter("requests_retried", static_cast<double>(status_retries_.load()));
  counter("requests_refused", static_cast<double>(status_refused_.load()));
  counter("curve_refusals", static_cast<double>(runtime_.bus().curve_refusals()));
  counter("audit_records", static_cast<double>(status_audit_records_.load()));
  counter("audit_records_pending", static_cast<double>(status_pending_.load()));
  counter("store_unavailable", static_cast<double>(status_store_unavailable_.load()));
  counter("key_versions", static_cast<double>(status_keys_.load()));
  auto& details = *status->mutable_details();
  details["keystore"] = config_.keystore();
  details["transport"] = config_.server().curve().enabled() ? "curve" : "insecure";
  details["store"] = status_store_loaded_.load() ? "recording" : "unavailable: refusing to sign";
}

}  // namespace tradeplane::signer_service
