// The PostgreSQL side of leader election: one session of its own holding the
// role's advisory lock (leader_election.h).
#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/store/database.h"
#include "tradeplane/store/leader_election.h"

namespace tradeplane::store {
namespace {

std::string Trimmed(const char* what) {
  std::string text = what;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class PgLeadershipBackend final : public LeadershipBackend {
 public:
  PgLeadershipBackend(const config::v1::StoreConfig& config, std::string application_name) {
    uint32_t timeout_ms =
        config.connect_timeout_ms() != 0 ? config.connect_timeout_ms() : kDefaultConnectTimeoutMs;
    for (char& c : application_name) {
      if (c == ' ' || c == '\'' || c == '\\') c = '_';  // a bare conninfo value
    }
    // The keepalive and user timeout settings bound how long a check can hang
    // on a peer that vanished without closing the connection (TCP only).
    conninfo_ = StrCat(config.conninfo(),
                       " connect_timeout=", std::max<uint32_t>(2, (timeout_ms + 999) / 1000),
                       " application_name=", application_name,
                       " keepalives=1 keepalives_idle=5 keepalives_interval=2 keepalives_count=2"
                       " tcp_user_timeout=5000");
  }

  absl::StatusOr<bool> TryLock(std::string_view role) override {
    try {
      if (connection_ == nullptr) connection_ = std::make_unique<pqxx::connection>(conninfo_);
      pqxx::nontransaction tx(*connection_);
      pqxx::result r = tx.exec_params("SELECT pg_try_advisory_lock($1)", LeadershipLockKey(role));
      bool held = r.at(0).at(0).as<bool>();
      if (held) lock_pid_ = connection_->backendpid();
      return held;
    } catch (const std::exception& e) {
      Disconnect();
      return absl::UnavailableError(
          StrCat("try the ", role, " leadership lock: ", Trimmed(e.what())));
    }
  }

  absl::StatusOr<int64_t> IncrementEpoch(std::string_view role, std::string_view holder) override {
    try {
      if (connection_ == nullptr) return absl::FailedPreconditionError("the lock is not held");
      pqxx::work tx(*connection_);
      pqxx::result r = tx.exec_params(
          "INSERT INTO leader_epochs (role, epoch, holder, acquired_at) VALUES ($1, 1, $2, now()) "
          "ON CONFLICT (role) DO UPDATE SET epoch = leader_epochs.epoch + 1, "
          "holder = excluded.holder, acquired_at = excluded.acquired_at RETURNING epoch",
          std::string(role), std::string(holder));
      int64_t epoch = r.at(0).at(0).as<int64_t>();
      tx.commit();
      return epoch;
    } catch (const std::exception& e) {
      Disconnect();
      return absl::UnavailableError(StrCat("increment the ", role, " epoch: ", Trimmed(e.what())));
    }
  }

  absl::StatusOr<int64_t> CheckLock(std::string_view role) override {
    try {
      if (connection_ == nullptr) return absl::FailedPreconditionError("no session");
      pqxx::nontransaction tx(*connection_);
      pqxx::result r = tx.exec_params(
          "SELECT pg_backend_pid(), (SELECT epoch FROM leader_epochs WHERE role = $1)",
          std::string(role));
      // libpqxx 6 may silently reopen a broken connection: a new session
      // does not hold the lock, whatever it answers.
      int pid = r.at(0).at(0).as<int>();
      if (pid != lock_pid_) {
        return absl::UnavailableError(
            StrCat("the lock's session (backend ", lock_pid_, ") was replaced by backend ", pid));
      }
      if (r.at(0).at(1).is_null()) return absl::DataLossError("leader_epochs has no row");
      return r.at(0).at(1).as<int64_t>();
    } catch (const std::exception& e) {
      return absl::UnavailableError(Trimmed(e.what()));
    }
  }

  void Disconnect() override {
    connection_.reset();  // closing the session releases its advisory locks
    lock_pid_ = 0;
  }

 private:
  std::string conninfo_;
  std::unique_ptr<pqxx::connection> connection_;
  int lock_pid_ = 0;
};

}  // namespace

std::unique_ptr<LeadershipBackend> MakePgLeadershipBackend(const config::v1::StoreConfig& config,
                                                           std::string application_name) {
  return std::make_unique<PgLeadershipBackend>(config, std::move(application_name));
}

}  // namespace tradeplane::store
