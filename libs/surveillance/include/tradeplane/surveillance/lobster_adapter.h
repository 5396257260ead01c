// LOBSTER messages as surveillance events.
//
// Per message type: 1 submit -> OrderSubmitted (passive: LOBSTER shows an
// order when it rests); 2 partial cancel and 3 delete -> OrderCancelled;
// 4 visible execution -> OrderExecuted for the resting order (LOBSTER gives
// the resting order's side and mpid; the aggressor is unknown) and a
// PublicTrade whose aggressor is the other side; 5 hidden execution -> a
// PublicTrade (and a fill when the row names a participant); 6 cross trade
// -> a PublicTrade without aggressor; 7 halt -> nothing. After any change of
// the touch or of the displayed depth of the best `depth_levels` levels, a
// BookUpdate. The participant is the mpid column, unknown when "null" or
// absent. Fill ids are the running count of executions (1, 2, ...).
//
// The book is rebuilt from the messages alone (no order-book file): orders
// resting before the file starts are missing until they trade or leave, so
// the first minutes under-state the depth.
#ifndef TRADEPLANE_SURVEILLANCE_LOBSTER_ADAPTER_H_
#define TRADEPLANE_SURVEILLANCE_LOBSTER_ADAPTER_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/lobster_format.h"
#include "tradeplane/surveillance/event.h"
#include "tradeplane/surveillance/participant_table.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

struct LobsterAdapterOptions {
  InstrumentIndex instrument = 0;
  CivilDate date{};         // the trading day (from the file name)
  size_t depth_levels = 5;  // levels summed into the displayed depth
};

struct LobsterAdapterCounters {
  uint64_t messages = 0;
  uint64_t events = 0;
  uint64_t unknown_order_events = 0;  // cancels and executions of orders not in the file
  uint64_t duplicate_submits = 0;     // a submit of an id already open (ignored by the book)
  uint64_t halts = 0;
};

class DisplayedBook;

class LobsterEventAdapter {
 public:
  // `participants` must outlive the adapter; mpids are interned into it.
  LobsterEventAdapter(const LobsterAdapterOptions& options, ParticipantTable* participants);
  ~LobsterEventAdapter();
  LobsterEventAdapter(LobsterEventAdapter&&) noexcept;
  LobsterEventAdapter& operator=(LobsterEventAdapter&&) noexcept;

  // Appends the events of one message. Refuses a message earlier than the
  // previous one (nothing is appended).
  absl::Status Append(const marketdata::LobsterMessage& message, std::vector<Event>* out);

  const LobsterAdapterCounters& counters() const { return counters_; }

 private:
  LobsterAdapterOptions options_;
  ParticipantTable* participants_;
  std::unique_ptr<DisplayedBook> book_;
  BookTop last_top_;
  LobsterAdapterCounters counters_;
  Duration last_time_{-1};
  uint64_t executions_ = 0;
};

// A whole message file's text (lines separated by \n or \r\n, the last one
// possibly without a newline) as events; an error names the line.
absl::StatusOr<std::vector<Event>> EventsFromLobsterText(std::string_view text,
                                                         const LobsterAdapterOptions& options,
                                                         ParticipantTable* participants);

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_LOBSTER_ADAPTER_H_
