// md.* contract messages to the pure libraries' events, and a mirror of the
// published books for subscribers (risk, signal, sentinel) that need depth.
#ifndef TRADEPLANE_MARKETDATA_PROTO_MAPPING_H_
#define TRADEPLANE_MARKETDATA_PROTO_MAPPING_H_

#include <memory>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/marketdata/order_book.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

// NOT_FOUND for an instrument this process does not know (the caller skips
// it: a subscriber often sees more than it trades).
absl::StatusOr<Quote> QuoteFromProto(const v1::Quote& proto, const InstrumentTable& instruments);
absl::StatusOr<Trade> TradeFromProto(const v1::Trade& proto, const InstrumentTable& instruments);
absl::StatusOr<Bar> BarFromProto(const v1::Bar& proto, const InstrumentTable& instruments);

// Books rebuilt from md.book snapshots and deltas. A delta applies only when
// its book_sequence follows the mirror's; otherwise the instrument waits for
// the next snapshot (published periodically, or asked for on the snapshot
// socket).
class BookMirror {
 public:
  BookMirror(const InstrumentTable& instruments, size_t depth);

  // Returns the instrument updated; NOT_FOUND for unknown instruments,
  // DATA_LOSS when a delta does not follow (the book now waits for a snapshot).
  absl::StatusOr<InstrumentIndex> OnSnapshot(const v1::BookSnapshot& snapshot);
  absl::StatusOr<InstrumentIndex> OnDelta(const v1::BookDelta& delta);
  bool synced(InstrumentIndex i) const { return synced_[i]; }
  const OrderBook& book(InstrumentIndex i) const { return *books_[i]; }
  BookView View(InstrumentIndex i, size_t levels) { return books_[i]->View(levels); }

 private:
  absl::StatusOr<InstrumentIndex> Find(const common::v1::InstrumentId& id) const;
  void Levels(const google::protobuf::RepeatedPtrField<v1::BookLevel>& in,
              std::vector<BookLevel>* out);

  const InstrumentTable& instruments_;
  std::vector<std::unique_ptr<OrderBook>> books_;
  std::vector<bool> synced_;
  std::vector<BookLevel> bids_, asks_;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_PROTO_MAPPING_H_
