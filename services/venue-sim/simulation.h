// Simulation: the simulator's clock and the order in which things happen.
//
// Time. The simulation's time is the replay's timeline (ReplayDriver). While
// the replay runs as fast as possible, "now" is the time of the last
// replayed event; at real time x N it follows the wall clock from an anchor
// (the replay is caught up to it before anything else happens); when paused
// (and in lock-step mode, which starts paused) it stands still and only
// POST /control/step moves it. After the last event of a replay that does
// not loop, a running simulation's time goes on at real time.
//
// Latency. A request that changes orders is carried out at now + latency:
// after every replayed event before that time and before any event at or
// after it (the same rule as the in-process sim venue). The REST handler
// waits for it, releasing the state lock; while the replay runs it advances
// the replay itself (as fast as possible) or waits for the wall clock (real
// time); while paused it waits for steps, at most backend_timeout, then the
// client gets -1007 and the request is dropped if it has not started.
//
// Locking: one mutex (mu()) guards the simulation and the exchange; every
// method but RunSlice expects it held. Frames are published under it, so
// every stream sees changes in the order they happened.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_SIMULATION_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_SIMULATION_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "tradeplane/core/timestamp.h"

#include "exchange.h"
#include "replay_driver.h"
#include "replay_source.h"

namespace tradeplane::venue_sim {

struct SimulationOptions {
  Duration latency{0};
  double speed = 0;  // 0: as fast as possible; N: N x real time
  bool start_running = true;
  std::chrono::milliseconds backend_timeout{10'000};
  size_t slice_events = 256;  // events per main-loop slice when running as fast as possible
  bool loop = false;
  std::optional<Timestamp> origin;
};

struct ReplayPosition {
  uint64_t delivered = 0;
  uint32_t pass = 0;
  Timestamp origin;
  Timestamp last_event;
  Timestamp now;
  bool finished = false;
  bool running = false;
  bool frozen = false;
  size_t pending_requests = 0;
};

class Simulation final : public ReplayTarget {
 public:
  using BadInputFn = std::function<void(std::string_view where, std::string_view why)>;

  Simulation(Exchange& exchange, SimulationOptions options, BadInputFn bad_input);
  ~Simulation() override;

  // Opens the timeline (reads each source's first event). Before any other call.
  void Start(std::vector<std::unique_ptr<ReplaySource>> sources);

  std::mutex& mu() { return mu_; }
  Exchange& exchange() { return exchange_; }

  // --- With mu() held -----------------------------------------------------------
  Timestamp Now();
  // Real time: replays what is due by the wall clock.
  void CatchUp();
  // Replays `events` more events (and the requests due before each); returns
  // how many there were.
  size_t Step(size_t events);
  void Run();
  void Pause();
  void Freeze();
  void Unfreeze();
  bool running() const { return running_; }
  bool frozen() const { return frozen_; }
  ReplayPosition Position();

  // Waits (the lock released) until not frozen. False when interrupted.
  bool WaitWhileFrozen(std::unique_lock<std::mutex>& lock);
  enum class Outcome { kDone, kTimedOut };
  // Carries out `action` at now + latency (see above) and waits for it.
  Outcome Execute(std::unique_lock<std::mutex>& lock, std::function<void(Timestamp)> action);
  // Wakes every waiter (a restart or shutdown): waits end as timed out.
  void Interrupt();

  // The main loop's share: replays a slice; returns when to come again.
  std::chrono::nanoseconds RunSlice();

  // ReplayTarget: the replay drives the exchange.
  void Levels(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
              std::span<const marketdata::BookLevel> asks, Timestamp t) override;
  void Snapshot(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                std::span<const marketdata::BookLevel> asks, Timestamp t) override;
  void Trade(InstrumentIndex i, Price price, Quantity qty, Side aggressor, Timestamp t) override;
  void BadInput(std::string_view where, std::string_view why) override;

 private:
  struct Pending {
    std::function<void(Timestamp)> action;
    std::pair<int64_t, uint64_t> key;  // (due ns, arrival order)
    bool started = false;
    bool done = false;
  };

  bool finished() const { return !driver_->has_event(); }
  Timestamp MappedNow() const;  // the anchor's wall-clock mapping
  void Anchor();
  size_t DeliverUntil(Timestamp limit, size_t max_events);
  void RunPendingUpTo(Timestamp t);

  Exchange& exchange_;
  SimulationOptions options_;
  BadInputFn bad_input_;
  std::unique_ptr<ReplayDriver> driver_;
  std::mutex mu_;
  std::condition_variable cv_;

  bool running_ = false;
  bool frozen_ = false;
  bool end_anchored_ = false;
  Timestamp last_event_;
  Timestamp floor_;  // the latest time a request was carried out at
  Timestamp anchor_sim_;
  int64_t anchor_mono_ns_ = 0;
  std::map<std::pair<int64_t, uint64_t>, std::shared_ptr<Pending>> pending_;
  uint64_t arrivals_ = 0;
  uint64_t interrupts_ = 0;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_SIMULATION_H_
