#include "simulation.h"

#include <algorithm>
#include <limits>

#include "tradeplane/core/clock.h"

namespace tradeplane::venue_sim {
namespace {

constexpr Timestamp kEndOfTime = Timestamp::FromNanos(std::numeric_limits<int64_t>::max());
constexpr std::chrono::milliseconds kIdlePoll{20};
constexpr std::chrono::milliseconds kMaxPacingWait{50};

}  // namespace

Simulation::Simulation(Exchange& exchange, SimulationOptions options, BadInputFn bad_input)
    : exchange_(exchange), options_(options), bad_input_(std::move(bad_input)) {}

Simulation::~Simulation() = default;

void Simulation::Start(std::vector<std::unique_ptr<ReplaySource>> sources) {
  std::lock_guard<std::mutex> lock(mu_);
  driver_ =
      std::make_unique<ReplayDriver>(std::move(sources), options_.loop, options_.origin, *this);
  driver_->Start();
  last_event_ = driver_->origin();
  floor_ = last_event_;
  running_ = options_.start_running;
  Anchor();
}

Timestamp Simulation::MappedNow() const {
  double speed = options_.speed > 0 ? options_.speed : 1.0;
  double elapsed = static_cast<double>(MonotonicNanos() - anchor_mono_ns_) * speed;
  return anchor_sim_ + Duration(static_cast<int64_t>(elapsed));
}

void Simulation::Anchor() {
  anchor_sim_ = std::max(last_event_, floor_);
  anchor_mono_ns_ = MonotonicNanos();
}

Timestamp Simulation::Now() {
  Timestamp t = std::max(last_event_, floor_);
  if (running_ && !frozen_ && (options_.speed > 0 || finished())) t = std::max(t, MappedNow());
  return t;
}

size_t Simulation::DeliverUntil(Timestamp limit, size_t max_events) {
  size_t n = 0;
  while (n < max_events && driver_->has_event() && driver_->next_time() <= limit) {
    Timestamp t = driver_->next_time();
    // A request due at the time of an event is carried out before it.
    RunPendingUpTo(t);
    driver_->DeliverNext();
    last_event_ = std::max(last_event_, t);
    ++n;
  }
  if (finished() && !end_anchored_) {
    end_anchored_ = true;  // from here time follows the wall clock
    Anchor();
  }
  return n;
}

void Simulation::RunPendingUpTo(Timestamp t) {
  bool ran = false;
  while (!pending_.empty() && pending_.begin()->first.first <= t.nanos()) {
    std::shared_ptr<Pending> p = pending_.begin()->second;
    pending_.erase(pending_.begin());
    Timestamp due = Timestamp::FromNanos(p->key.first);
    floor_ = std::max(floor_, due);
    p->started = true;
    p->action(due);
    p->done = true;
    ran = true;
  }
  if (ran) cv_.notify_all();
}

void Simulation::CatchUp() {
  if (!running_ || frozen_) return;
  if (options_.speed <= 0 && !finished()) return;  // the main loop races ahead on its own
  Timestamp now = MappedNow();
  DeliverUntil(now, std::numeric_limits<size_t>::max());
  RunPendingUpTo(now);
}

size_t Simulation::Step(size_t events) {
  size_t n = DeliverUntil(kEndOfTime, events);
  cv_.notify_all();
  return n;
}

void Simulation::Run() {
  if (running_) return;
  Timestamp now = Now();
  running_ = true;
  anchor_sim_ = now;
  anchor_mono_ns_ = MonotonicNanos();
  cv_.notify_all();
}

void Simulation::Pause() {
  if (!running_) return;
  // Time stops where it is.
  floor_ = std::max(floor_, Now());
  running_ = false;
}

void Simulation::Freeze() {
  if (frozen_) return;
  floor_ = std::max(floor_, Now());
  frozen_ = true;
}

void Simulation::Unfreeze() {
  if (!frozen_) return;
  frozen_ = false;
  Anchor();
  cv_.notify_all();
}

void Simulation::Interrupt() {
  ++interrupts_;
  cv_.notify_all();
}

bool Simulation::WaitWhileFrozen(std::unique_lock<std::mutex>& lock) {
  uint64_t interrupts = interrupts_;
  cv_.wait(lock, [&] { return !frozen_ || interrupts != interrupts_; });
  return !frozen_;
}

Simulation::Outcome Simulation::Execute(std::unique_lock<std::mutex>& lock,
                                        std::function<void(Timestamp)> action) {
  if (options_.latency.count() == 0) {
    CatchUp();
    Timestamp now = Now();
    RunPendingUpTo(now);
    floor_ = std::max(floor_, now);
    action(now);
    return Outcome::kDone;
  }
  auto p = std::make_shared<Pending>();
  p->action = std::move(action);
  p->key = {(Now() + options_.latency).nanos(), ++arrivals_};
  Timestamp due = Timestamp::FromNanos(p->key.first);
  pending_.emplace(p->key, p);
  auto deadline = std::chrono::steady_clock::now() + options_.backend_timeout;
  uint64_t interrupts = interrupts_;
  while (!p->done && interrupts == interrupts_ && std::chrono::steady_clock::now() < deadline) {
    if (!frozen_) {
      if (finished()) {
        // Nothing more will be replayed: the request's time comes at once.
        RunPendingUpTo(due);
        continue;
      }
      if (running_ && options_.speed <= 0) {
        DeliverUntil(due, std::numeric_limits<size_t>::max());
        RunPendingUpTo(due);
        continue;
      }
      if (running_) {
        CatchUp();
        if (p->done) break;
        double speed = options_.speed > 0 ? options_.speed : 1.0;
        auto wake = std::chrono::steady_clock::now() +
                    std::chrono::nanoseconds(static_cast<int64_t>(
                        static_cast<double>((due - MappedNow()).count()) / speed));
        cv_.wait_until(lock, std::min(deadline, wake));
        continue;
      }
    }
    cv_.wait_until(lock, deadline);  // paused or frozen: a step or an unfreeze wakes us
  }
  if (p->done) return Outcome::kDone;
  if (!p->started) pending_.erase(p->key);
  return Outcome::kTimedOut;
}

std::chrono::nanoseconds Simulation::RunSlice() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!running_ || frozen_ || finished()) return kIdlePoll;
  if (options_.speed <= 0) {
    DeliverUntil(kEndOfTime, options_.slice_events);
    cv_.notify_all();
    return std::chrono::nanoseconds(0);
  }
  CatchUp();
  cv_.notify_all();
  if (finished()) return kIdlePoll;
  auto wait = std::chrono::nanoseconds(static_cast<int64_t>(
      static_cast<double>((driver_->next_time() - MappedNow()).count()) / options_.speed));
  return std::clamp<std::chrono::nanoseconds>(wait, std::chrono::nanoseconds(0), kMaxPacingWait);
}

ReplayPosition Simulation::Position() {
  ReplayPosition p;
  p.delivered = driver_->delivered();
  p.pass = driver_->pass();
  p.origin = driver_->origin();
  p.last_event = last_event_;
  p.now = Now();
  p.finished = finished();
  p.running = running_;
  p.frozen = frozen_;
  p.pending_requests = pending_.size();
  return p;
}

void Simulation::Levels(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                        std::span<const marketdata::BookLevel> asks, Timestamp t) {
  exchange_.ReplayLevels(i, bids, asks, t);
}

void Simulation::Snapshot(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                          std::span<const marketdata::BookLevel> asks, Timestamp t) {
  exchange_.ReplaySnapshot(i, bids, asks, t);
}

void Simulation::Trade(InstrumentIndex i, Price price, Quantity qty, Side aggressor, Timestamp t) {
  exchange_.ReplayTrade(i, price, qty, aggressor, t);
}

void Simulation::BadInput(std::string_view where, std::string_view why) {
  if (bad_input_) bad_input_(where, why);
}

}  // namespace tradeplane::venue_sim
