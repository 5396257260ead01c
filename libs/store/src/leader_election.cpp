#include "tradeplane/store/leader_election.h"

#include "tradeplane/core/str_cat.h"

namespace tradeplane::store {

int64_t LeadershipLockKey(std::string_view role) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  auto mix = [&hash](std::string_view text) {
    for (char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;  // FNV-1a prime
    }
  };
  mix("tradeplane.leader.");
  mix(role);
  return static_cast<int64_t>(hash);
}

bool IsFencedWrite(const absl::Status& status) {
  // The trigger of 0008_leadership.sql raises check_violation "fenced: ...".
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         ToStd(status.message()).find("fenced: ") != std::string_view::npos;
}

LeaderElection::LeaderElection(LeadershipBackend& backend, LeaderElectionOptions options)
    : backend_(backend), options_(std::move(options)) {}

void LeaderElection::Poll() {
  if (leader_.load()) {
    absl::StatusOr<int64_t> current = backend_.CheckLock(options_.role);
    if (!current.ok()) {
      StepDown(StrCat("the database session holding the ", options_.role,
                      " leadership lock failed: ", ToStd(current.status().message())));
    } else if (*current != epoch_.load()) {
      StepDown(StrCat("the ", options_.role, " epoch is now ", *current, ", not ours (",
                      epoch_.load(), ")"));
    }
    return;
  }
  absl::StatusOr<bool> won = backend_.TryLock(options_.role);
  if (!won.ok()) {
    SetError(StrCat("campaign: ", ToStd(won.status().message())));
    return;
  }
  if (!*won) {
    SetError("");  // another instance leads: the normal standby state
    return;
  }
  absl::StatusOr<int64_t> epoch = backend_.IncrementEpoch(options_.role, options_.holder);
  if (!epoch.ok()) {
    // Leading without an epoch would write unfenced: give the lock back.
    backend_.Disconnect();
    SetError(
        StrCat("won the lock but cannot increment the epoch: ", ToStd(epoch.status().message())));
    return;
  }
  epoch_.store(*epoch);
  leader_.store(true);
  SetError("");
  if (on_elected_) on_elected_(*epoch);
}

void LeaderElection::Resign(const std::string& reason) {
  if (leader_.load()) {
    StepDown(reason);
  } else {
    backend_.Disconnect();
  }
}

void LeaderElection::StepDown(const std::string& reason) {
  leader_.store(false);
  backend_.Disconnect();
  SetError(reason);
  if (on_deposed_) on_deposed_(reason);
}

void LeaderElection::SetError(std::string error) {
  std::lock_guard<std::mutex> lock(error_mu_);
  last_error_ = std::move(error);
}

std::string LeaderElection::last_error() const {
  std::lock_guard<std::mutex> lock(error_mu_);
  return last_error_;
}

}  // namespace tradeplane::store
