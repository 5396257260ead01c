#include "replay_driver.h"

#include <algorithm>
#include <chrono>

namespace tradeplane::venue_sim {

namespace {
constexpr Duration kGapBetweenPasses = std::chrono::seconds(1);
}  // namespace

ReplayDriver::ReplayDriver(std::vector<std::unique_ptr<ReplaySource>> sources, bool loop,
                           std::optional<Timestamp> origin, ReplayTarget& target)
    : sources_(std::move(sources)),
      shifts_(sources_.size(), Duration(0)),
      loop_(loop),
      requested_origin_(origin),
      target_(target) {}

void ReplayDriver::Start() {
  std::optional<Timestamp> earliest;
  for (auto& s : sources_) {
    s->Rewind(target_);
    if (s->has_event() && (!earliest || s->event_time() < *earliest)) earliest = s->event_time();
  }
  origin_ = requested_origin_ ? *requested_origin_ : earliest.value_or(Timestamp());
  for (size_t k = 0; k < sources_.size(); ++k) {
    shifts_[k] = sources_[k]->has_event() ? origin_ - sources_[k]->event_time() : Duration(0);
  }
  pass_ = 1;
  pass_end_ = origin_;
  Choose();
}

void ReplayDriver::Choose() {
  next_ = -1;
  for (size_t k = 0; k < sources_.size(); ++k) {
    if (!sources_[k]->has_event()) continue;
    Timestamp t = sources_[k]->event_time() + shifts_[k];
    if (next_ < 0 || t < next_time_) {
      next_ = static_cast<int>(k);
      next_time_ = t;
    }
  }
}

void ReplayDriver::DeliverNext() {
  if (next_ < 0) return;
  Timestamp t = next_time_;
  sources_[next_]->Deliver(target_, shifts_[next_]);
  ++delivered_;
  pass_end_ = std::max(pass_end_, t);
  Choose();
  if (next_ < 0 && loop_) StartPass();
}

void ReplayDriver::StartPass() {
  Timestamp base = pass_end_ + kGapBetweenPasses;
  bool any = false;
  for (size_t k = 0; k < sources_.size(); ++k) {
    // The books this source drove start empty again, as at the first pass.
    for (InstrumentIndex i : sources_[k]->instruments()) target_.Snapshot(i, {}, {}, base);
    sources_[k]->Rewind(target_);
    if (sources_[k]->has_event()) {
      shifts_[k] = base - sources_[k]->event_time();
      any = true;
    }
  }
  if (!any) return;  // nothing to replay: the timeline ends here
  ++pass_;
  pass_end_ = base;
  Choose();
}

}  // namespace tradeplane::venue_sim
