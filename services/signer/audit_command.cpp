#include "audit_command.h"

#include <cstdio>
#include <optional>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/command_line.h"
#include "tradeplane/core/config_loader.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/audit_chain.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/store/database.h"
#include "tradeplane/store/signer_store.h"

namespace tradeplane::signer_service {
namespace {

enum ExitCode { kVerified = 0, kBroken = 1, kUsage = 2, kUnreadable = 3 };

const std::vector<FlagDef> kFlags = {
    {.name = "config", .value_name = "FILE", .help = "the signer's config (its common.store)"},
    {.name = "help", .short_name = "h", .takes_value = false, .help = "show this help"},
};

int UsageError(std::string_view message) {
  std::fprintf(stderr, "tradeplane-signer audit: %.*s (see tradeplane-signer audit --help)\n",
               static_cast<int>(message.size()), message.data());
  return kUsage;
}

int Unreadable(const absl::Status& status) {
  std::fprintf(stderr, "tradeplane-signer audit verify: cannot read the audit chain: %s\n",
               std::string(ToStd(status.message())).c_str());
  return kUnreadable;
}

int Verify(const config::v1::SignerConfig& config) {
  if (config.common().store().conninfo().empty()) {
    return UsageError("the config has no common.store.conninfo");
  }
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      store::Database::Create(config.common().store());
  if (!db.ok()) return Unreadable(db.status());
  store::SignerStore chain(
      **db, [](uint64_t seq, std::string_view prev_hash, signer::v1::AuditRecord* record) {
        signing::SealAuditRecord(seq, prev_hash, record);
      });
  signing::AuditChainVerifier verifier;
  std::optional<signing::AuditChainBreak> broken;
  uint64_t verified = 0, first_seq = 0, last_seq = 0;
  std::string last_hash;
  absl::Status scanned = chain.ScanAudit([&](const signer::v1::AuditRecord& record) {
    broken = verifier.Next(record);
    if (broken.has_value()) return false;
    if (verified == 0) first_seq = record.seq();
    ++verified;
    last_seq = record.seq();
    last_hash = record.hash();
    return true;
  });
  if (!scanned.ok()) return Unreadable(scanned);
  if (broken.has_value()) {
    std::printf("audit chain BROKEN at seq %llu: %s (%llu records before it verify)\n",
                static_cast<unsigned long long>(broken->seq), broken->reason.c_str(),
                static_cast<unsigned long long>(verified));
    return kBroken;
  }
  // A chain cut short at its end still links; the signatures say how far it
  // must reach.
  absl::StatusOr<store::AuditChainTail> tail = chain.ReadAuditTail();
  if (!tail.ok()) return Unreadable(tail.status());
  if (tail->max_signed_seq > last_seq) {
    std::printf(
        "audit chain BROKEN at seq %llu: records after seq %llu are missing (a signature refers "
        "to audit seq %llu)\n",
        static_cast<unsigned long long>(last_seq + 1), static_cast<unsigned long long>(last_seq),
        static_cast<unsigned long long>(tail->max_signed_seq));
    return kBroken;
  }
  if (verified == 0) {
    std::printf("audit chain OK: no records yet\n");
  } else {
    std::printf("audit chain OK: %llu records (seq %llu to %llu), last hash %s\n",
                static_cast<unsigned long long>(verified),
                static_cast<unsigned long long>(first_seq),
                static_cast<unsigned long long>(last_seq), signing::HexEncode(last_hash).c_str());
  }
  return kVerified;
}

}  // namespace

int RunAuditCommand(int argc, char** argv) {
  absl::StatusOr<CommandLine> cl = CommandLine::Parse(argc, argv, 2, kFlags);
  if (!cl.ok()) return UsageError(ToStd(cl.status().message()));
  if (cl->Has("help") || cl->positional().empty()) {
    std::printf(
        "usage: tradeplane-signer audit verify --config FILE.yaml\n\n"
        "Checks the signing audit chain in the signer's database: every record's hash and its\n"
        "link to the one before. Prints OK, or the first broken record's seq and why.\n"
        "Exit codes: 0 verified, 1 broken, 2 usage error, 3 the chain could not be read.\n\n"
        "flags:\n%s",
        FlagHelp(kFlags).c_str());
    return cl->Has("help") ? kVerified : kUsage;
  }
  if (cl->positional().size() != 1 || cl->positional()[0] != "verify") {
    return UsageError(
        StrCat("unknown command '", cl->positional()[0], "' (the command is verify)"));
  }
  if (!cl->Has("config")) return UsageError("--config FILE.yaml is required");
  config::v1::SignerConfig config;
  if (absl::Status s = LoadYamlConfigFile(cl->Get("config"), &config); !s.ok()) {
    return UsageError(StrCat("invalid config:\n", ToStd(s.message())));
  }
  return Verify(config);
}

}  // namespace tradeplane::signer_service
