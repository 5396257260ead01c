#include "tradeplane/bus/topic.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::bus {

std::string InstrumentTopic(std::string_view area, std::string_view kind,
                            const common::v1::InstrumentId& instrument) {
  return StrCat(area, ".", kind, ".", ShortEnumName(instrument.venue()), ".", instrument.symbol());
}

std::string QualifiedInstrumentTopic(std::string_view area, std::string_view kind,
                                     std::string_view qualifier,
                                     const common::v1::InstrumentId& instrument) {
  return StrCat(area, ".", kind, ".", qualifier, ".", ShortEnumName(instrument.venue()), ".",
                instrument.symbol());
}

absl::Status ValidateTopic(std::string_view topic) {
  if (topic.empty()) return absl::InvalidArgumentError("empty topic");
  if (topic.size() > 255) {
    return absl::InvalidArgumentError(StrCat("topic of ", topic.size(), " bytes (at most 255)"));
  }
  char prev = '.';
  for (size_t i = 0; i < topic.size(); ++i) {
    char c = topic[i];
    if (c <= ' ' || c > '~') {
      return absl::InvalidArgumentError(
          StrCat("topic '", topic.substr(0, 64), "' has a non-printable character at ", i));
    }
    if (c == '.' && prev == '.') {
      return absl::InvalidArgumentError(StrCat("topic '", topic, "' has an empty segment"));
    }
    prev = c;
  }
  if (prev == '.') return absl::InvalidArgumentError(StrCat("topic '", topic, "' ends with '.'"));
  return absl::OkStatus();
}

}  // namespace tradeplane::bus
