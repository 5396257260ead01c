#include "tradeplane/surveillance/participant_table.h"

#include <cctype>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::surveillance {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool MeansUnknown(std::string_view name) {
  return name.empty() || EqualsIgnoreCase(name, "null") ||
         EqualsIgnoreCase(name, kUnknownParticipantName);
}

}  // namespace

ParticipantTable::ParticipantTable() {
  names_.emplace_back(kUnknownParticipantName);
  owners_.push_back(kUnknownParticipant);
}

ParticipantId ParticipantTable::Intern(std::string_view name) {
  if (MeansUnknown(name)) return kUnknownParticipant;
  auto it = ids_.find(ToAbsl(name));
  if (it != ids_.end()) return it->second;
  ParticipantId id = static_cast<ParticipantId>(names_.size());
  names_.emplace_back(name);
  owners_.push_back(id);
  ids_.emplace(std::string(name), id);
  return id;
}

std::optional<ParticipantId> ParticipantTable::Find(std::string_view name) const {
  if (MeansUnknown(name)) return kUnknownParticipant;
  auto it = ids_.find(ToAbsl(name));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

std::string_view ParticipantTable::Name(ParticipantId id) const {
  return id < names_.size() ? std::string_view(names_[id]) : kUnknownParticipantName;
}

absl::Status ParticipantTable::SetBeneficialOwner(std::string_view participant,
                                                  std::string_view owner) {
  if (MeansUnknown(participant) || MeansUnknown(owner)) {
    return absl::InvalidArgumentError(StrCat("beneficial owner of '", participant, "' as '", owner,
                                             "': neither may be empty, null or unknown"));
  }
  ParticipantId p = Intern(participant);
  ParticipantId o = Intern(owner);
  if (owners_[o] != o) {
    return absl::InvalidArgumentError(StrCat("beneficial owner of '", participant, "' as '", owner,
                                             "': '", owner, "' itself belongs to '",
                                             Name(owners_[o]), "' (one level only)"));
  }
  if (p != o) {
    for (ParticipantId other = 0; other < owners_.size(); ++other) {
      if (other != p && owners_[other] == p) {
        return absl::InvalidArgumentError(
            StrCat("beneficial owner of '", participant, "' as '", owner, "': '", participant,
                   "' is already the owner of '", Name(other), "' (one level only)"));
      }
    }
  }
  owners_[p] = o;
  return absl::OkStatus();
}

}  // namespace tradeplane::surveillance
