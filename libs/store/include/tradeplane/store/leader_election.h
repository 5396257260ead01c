// Leader election for the active-passive services (execution first; risk,
// signer and reconciler later), through PostgreSQL
// (db/migrations/0008_leadership.sql, docs/explanation/high-availability.md).
//
// An instance of a role campaigns by taking the role's session advisory lock
// (pg_try_advisory_lock on LeadershipLockKey(role)) on a connection of its
// own, never one of the pool's: the lock lives exactly as long as that
// session. On winning it increments the role's fencing epoch in
// leader_epochs and stamps every journal write with it; the database refuses
// writes stamped with an older epoch (IsFencedWrite). While leading it checks
// the lock's connection; an error there, a different server session, or a
// newer epoch mean it has lost leadership, and it must stop at once.
//
// LeaderElection is the decision logic over a LeadershipBackend (the
// database side, an interface so it is unit-testable). It owns no thread and
// reads no clock: the owner calls Poll() at its interval (a standby
// campaigns on each call, a leader checks), and the callbacks run inside
// Poll(), on the caller's thread. IsLeader() and epoch() may be read from any
// thread.
#ifndef TRADEPLANE_STORE_LEADER_ELECTION_H_
#define TRADEPLANE_STORE_LEADER_ELECTION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "tradeplane/config/v1/common.pb.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::store {

// The advisory lock key of a role: FNV-1a (64 bit) of "tradeplane.leader." +
// role, as a signed 64-bit integer. Stable across builds and languages, so an
// operator can find the holder in pg_locks.
int64_t LeadershipLockKey(std::string_view role);

// True when a journal write failed because it carried an epoch older than its
// role's current one (the database's fence): the writer has been deposed.
bool IsFencedWrite(const absl::Status& status);

// What the election needs from the database, on one dedicated session.
class LeadershipBackend {
 public:
  virtual ~LeadershipBackend() = default;
  // Tries the role's lock without waiting (connecting first when needed).
  // True: this session holds it now. UNAVAILABLE when the server cannot be
  // reached.
  virtual absl::StatusOr<bool> TryLock(std::string_view role) = 0;
  // Increments the role's epoch (creating it at 1), records `holder`, and
  // returns the new epoch. Called while holding the lock.
  virtual absl::StatusOr<int64_t> IncrementEpoch(std::string_view role,
                                                 std::string_view holder) = 0;
  // A round trip on the lock's session: the role's current epoch. An error
  // when the session is gone or is no longer the one that took the lock.
  virtual absl::StatusOr<int64_t> CheckLock(std::string_view role) = 0;
  // Ends the session (and so releases the lock, if held).
  virtual void Disconnect() = 0;
};

struct LeaderElectionOptions {
  std::string role;    // "execution"
  std::string holder;  // who campaigns, for leader_epochs.holder and logs
};

class LeaderElection {
 public:
  LeaderElection(LeadershipBackend& backend, LeaderElectionOptions options);

  // Called inside Poll() when this instance has won (with its new epoch) and
  // when it has lost leadership (with the reason). Set before the first Poll.
  void OnElected(std::function<void(int64_t epoch)> fn) { on_elected_ = std::move(fn); }
  void OnDeposed(std::function<void(const std::string& reason)> fn) { on_deposed_ = std::move(fn); }

  // Standby: one campaign attempt. Leader: one check of the lock's session.
  void Poll();
  // Gives leadership up (ends the session); OnDeposed runs when leading.
  void Resign(const std::string& reason);

  bool IsLeader() const { return leader_.load(); }
  // The epoch won by this instance; 0 before it first wins.
  int64_t epoch() const { return epoch_.load(); }
  const std::string& role() const { return options_.role; }
  // The last error met while campaigning or checking ("" when none), for status.
  std::string last_error() const;

 private:
  void StepDown(const std::string& reason);
  void SetError(std::string error);

  LeadershipBackend& backend_;
  LeaderElectionOptions options_;
  std::function<void(int64_t)> on_elected_;
  std::function<void(const std::string&)> on_deposed_;
  std::atomic<bool> leader_{false};
  std::atomic<int64_t> epoch_{0};
  mutable std::mutex error_mu_;
  std::string last_error_;
};

// The PostgreSQL backend: one libpq session of its own, opened on first use
// with `application_name` (shown in pg_stat_activity, so operators and tests
// can find the lock holder's session).
std::unique_ptr<LeadershipBackend> MakePgLeadershipBackend(const config::v1::StoreConfig& config,
                                                           std::string application_name);

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_LEADER_ELECTION_H_
