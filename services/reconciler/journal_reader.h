// JournalReader: our side of one run, read-only from execution's journal in
// PostgreSQL (orders, fills, net positions), mapped onto the reconciliation
// library's types. Orders and fills on instruments the venue does not list
// cannot be compared: they are counted and named, not silently dropped.
#ifndef TRADEPLANE_SERVICES_RECONCILER_JOURNAL_READER_H_
#define TRADEPLANE_SERVICES_RECONCILER_JOURNAL_READER_H_

#include <set>
#include <string>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/reconciliation/recon_input.h"
#include "tradeplane/store/execution_store.h"

#include "absl/status/statusor.h"

namespace tradeplane::reconciler {

struct JournalBook {
  reconciliation::OurBook book;
  // Orders and fills whose instrument is not in the table, e.g. "order c-1 on BINANCE.XYZ".
  std::vector<std::string> not_comparable;
};

class JournalReader {
 public:
  JournalReader(store::ExecutionStore& journal, const InstrumentTable& instruments)
      : journal_(journal), instruments_(instruments) {}

  // The instruments our journal is active on: open orders and net positions
  // (what the trade windows must cover). Read before the venue is asked.
  absl::StatusOr<std::set<InstrumentIndex>> ActiveInstruments();

  // Every order (newest 100,000), every fill and the net positions.
  absl::StatusOr<JournalBook> Read();

 private:
  store::ExecutionStore& journal_;
  const InstrumentTable& instruments_;
};

}  // namespace tradeplane::reconciler

#endif  // TRADEPLANE_SERVICES_RECONCILER_JOURNAL_READER_H_
