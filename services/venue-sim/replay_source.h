// The recorded markets the simulator replays into its matching engines:
//
//  - Binance recordings (data/binance, spot or USD-M futures): the frames'
//    depth updates are joined to the REST snapshots with Binance's local-book
//    procedure (BinanceBookSync), then applied to the engine as level
//    changes; aggTrade and trade frames are public trades. Futures symbols
//    become spot symbols of the simulator. bookTicker and kline frames are
//    not used: the simulator's own bookTicker comes from its book.
//  - LOBSTER message files: each message goes through a LobsterBook; the
//    levels it changed are applied to the engine and executions are public
//    trades (the aggressor is the side opposite the executed resting order).
//
// A source reads its file into memory when opened (the recordings are small),
// so a loop rewinds without I/O. One event is one line of the file: a frame
// or a message (the REST snapshots of a Binance recording are applied with
// the first frame received after them). Events before the replay's start
// time are applied to the source's own books but not sent; the first event
// sent is preceded by the books as they are then.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_REPLAY_SOURCE_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_REPLAY_SOURCE_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"

#include "absl/status/statusor.h"

namespace tradeplane::venue_sim {

// What a replay drives (the exchange, through the simulation).
class ReplayTarget {
 public:
  virtual ~ReplayTarget() = default;
  // Level changes with absolute quantities (0 removes the level).
  virtual void Levels(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                      std::span<const marketdata::BookLevel> asks, Timestamp t) = 0;
  // The whole replayed book of the instrument.
  virtual void Snapshot(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                        std::span<const marketdata::BookLevel> asks, Timestamp t) = 0;
  virtual void Trade(InstrumentIndex i, Price price, Quantity qty, Side aggressor, Timestamp t) = 0;
  // A line the source could not use: counted and logged, then skipped.
  virtual void BadInput(std::string_view where, std::string_view why) = 0;
};

class ReplaySource {
 public:
  virtual ~ReplaySource() = default;

  // Back to the first event (after the start time): at start and for each
  // loop. `target` receives errors only.
  virtual void Rewind(ReplayTarget& target) = 0;
  bool has_event() const { return has_event_; }
  // The pending event's time as recorded.
  Timestamp event_time() const { return event_time_; }
  // Sends the pending event to `target`, its time shifted by `shift`, and
  // reads the next one.
  virtual void Deliver(ReplayTarget& target, Duration shift) = 0;
  // The instruments it has driven so far (their books are reset on a loop).
  virtual std::vector<InstrumentIndex> instruments() const = 0;
  const std::string& name() const { return name_; }

 protected:
  explicit ReplaySource(std::string name) : name_(std::move(name)) {}

  std::string name_;
  bool has_event_ = false;
  Timestamp event_time_;
};

// Opens the file(s) a replay config names. `instruments` maps symbols to
// indexes: a recording's symbols that are not in it are skipped (reported
// once each).
absl::StatusOr<std::unique_ptr<ReplaySource>> OpenReplaySource(
    const config::v1::ReplayFeedConfig& config, const InstrumentTable& instruments);

// The index of the instrument with this symbol, whatever its venue.
std::optional<InstrumentIndex> FindSymbol(const InstrumentTable& instruments,
                                          std::string_view symbol);

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_REPLAY_SOURCE_H_
