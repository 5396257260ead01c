// Bus messages (md.trade, md.book, exec.order, exec.fill) to surveillance
// events: the same mapping for the live service and for offline review of a
// recording.
#ifndef TRADEPLANE_SERVICES_SENTINEL_EVENT_MAPPER_H_
#define TRADEPLANE_SERVICES_SENTINEL_EVENT_MAPPER_H_

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/marketdata/proto_mapping.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/event.h"
#include "tradeplane/surveillance/participant_table.h"

namespace tradeplane::sentinel {

class EventMapper {
 public:
  // Instruments not in `instruments` are skipped.
  EventMapper(const InstrumentTable* instruments, surveillance::ParticipantTable* participants);

  std::optional<surveillance::Event> FromTrade(const marketdata::v1::Trade& trade);
  std::optional<surveillance::Event> FromBook(const marketdata::v1::BookSnapshot& snapshot);
  std::optional<surveillance::Event> FromBook(const marketdata::v1::BookDelta& delta);
  // Submits (PENDING_NEW -> NEW) and cancels/expiries; nothing for other changes.
  std::optional<surveillance::Event> FromReport(const orders::v1::ExecutionReport& report);
  std::optional<surveillance::Event> FromFill(const orders::v1::Fill& fill);

  // Names for alerts: our client order ids and fill ids as they were.
  surveillance::AlertNaming Naming() const;

 private:
  std::optional<surveillance::Event> Top(absl::StatusOr<InstrumentIndex> instrument,
                                         Timestamp time);
  uint64_t Intern(const std::string& name, std::unordered_map<std::string, uint64_t>* ids,
                  std::vector<std::string>* names);

  const InstrumentTable* instruments_;
  surveillance::ParticipantTable* participants_;
  std::unique_ptr<marketdata::BookMirror> books_;
  std::unordered_map<std::string, uint64_t> order_ids_, fill_ids_;
  std::vector<std::string> order_names_{""}, fill_names_{""};
};

}  // namespace tradeplane::sentinel

#endif  // TRADEPLANE_SERVICES_SENTINEL_EVENT_MAPPER_H_
