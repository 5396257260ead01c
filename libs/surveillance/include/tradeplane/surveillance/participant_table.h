// Participants (accounts, strategies, market participant ids) by small dense
// index, and who each one trades for.
//
// Id 0 is "unknown": the data names no one (LOBSTER's "null" mpid, a public
// trade). Beneficial ownership matters for wash trades: two accounts of one
// owner trading with each other change no ownership. Unless told otherwise,
// each participant is its own beneficial owner.
//
// Interning allocates (once per new name); lookups by id are O(1) vector
// reads, which is what the detectors do per event.
#ifndef TRADEPLANE_SURVEILLANCE_PARTICIPANT_TABLE_H_
#define TRADEPLANE_SURVEILLANCE_PARTICIPANT_TABLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"

namespace tradeplane::surveillance {

using ParticipantId = uint32_t;
inline constexpr ParticipantId kUnknownParticipant = 0;
inline constexpr std::string_view kUnknownParticipantName = "unknown";

class ParticipantTable {
 public:
  ParticipantTable();

  // The id of `name`, added when new. "", "null" and "unknown" (any case) are
  // kUnknownParticipant.
  ParticipantId Intern(std::string_view name);
  std::optional<ParticipantId> Find(std::string_view name) const;
  // "unknown" for kUnknownParticipant; an id never handed out also reads
  // "unknown".
  std::string_view Name(ParticipantId id) const;

  // `participant` trades for `owner` (both interned). Refuses an unknown
  // participant or owner, and an owner that itself has another owner (one
  // level: accounts and strategies belong to a firm).
  absl::Status SetBeneficialOwner(std::string_view participant, std::string_view owner);
  // The participant itself unless an owner was set.
  ParticipantId OwnerOf(ParticipantId id) const { return id < owners_.size() ? owners_[id] : id; }

  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::vector<ParticipantId> owners_;
  absl::flat_hash_map<std::string, ParticipantId> ids_;
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_PARTICIPANT_TABLE_H_
