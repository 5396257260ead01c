#include "book_publisher.h"

#include <limits>

#include "json_out.h"

namespace tradeplane::venue_sim {
namespace {

int64_t Shown(const matching::MatchingEngine::LevelView& level) {
  return level.available.raw() + level.own_qty.raw();
}

void WriteLevels(JsonOut& out, const std::vector<std::pair<int64_t, int64_t>>& levels) {
  out.BeginArray();
  for (const auto& [price, qty] : levels) out.BeginArray().Dec(price).Dec(qty).EndArray();
  out.EndArray();
}

}  // namespace

void BookPublisher::Touch(Price price) { touched_.push_back(price.raw()); }

void BookPublisher::DiffSide(const matching::MatchingEngine& engine, Side side, Ladder& mirror,
                             std::vector<std::pair<int64_t, int64_t>>* changes) {
  const BestFirst better = mirror.key_comp();
  // The deepest touched price on this side: levels beyond it cannot have changed.
  bool all = all_;
  int64_t worst = 0;
  if (!all) {
    if (touched_.empty()) return;
    worst = touched_.front();
    for (int64_t p : touched_) {
      if (better(worst, p)) worst = p;
    }
  }
  auto in_range = [&](int64_t p) { return all || !better(worst, p); };

  size_t want = std::numeric_limits<size_t>::max();
  if (!all) {
    size_t in_mirror = 0;
    for (auto it = mirror.begin(); it != mirror.end() && in_range(it->first); ++it) ++in_mirror;
    want = in_mirror + touched_.size() + 1;
  }
  std::vector<matching::MatchingEngine::LevelView> levels;
  while (true) {
    levels = engine.Depth(side, want);
    // Fully consumed levels are in the engine but not in the mirror, so the
    // first guess can fall short of the deepest touched price.
    if (all || levels.size() < want || !in_range(levels.back().price.raw())) break;
    want *= 2;
  }

  auto it = mirror.begin();
  size_t i = 0;
  while (true) {
    while (i < levels.size() && in_range(levels[i].price.raw()) && Shown(levels[i]) <= 0) ++i;
    bool engine_has = i < levels.size() && in_range(levels[i].price.raw());
    bool mirror_has = it != mirror.end() && in_range(it->first);
    if (!engine_has && !mirror_has) break;
    int64_t engine_price = engine_has ? levels[i].price.raw() : 0;
    if (engine_has && (!mirror_has || better(engine_price, it->first))) {
      changes->emplace_back(engine_price, Shown(levels[i]));
      it = std::next(mirror.emplace_hint(it, engine_price, Shown(levels[i])));
      ++i;
    } else if (!engine_has || better(it->first, engine_price)) {
      changes->emplace_back(it->first, 0);
      it = mirror.erase(it);
    } else {
      int64_t qty = Shown(levels[i]);
      if (it->second != qty) {
        changes->emplace_back(engine_price, qty);
        it->second = qty;
      }
      ++it;
      ++i;
    }
  }
}

void BookPublisher::Publish(const matching::MatchingEngine& engine, Timestamp now, Frames* frames) {
  frames->depth.clear();
  frames->ticker.clear();
  if (!all_ && touched_.empty()) return;
  bid_changes_.clear();
  ask_changes_.clear();
  DiffSide(engine, common::v1::SIDE_BUY, bids_, &bid_changes_);
  DiffSide(engine, common::v1::SIDE_SELL, asks_, &ask_changes_);
  touched_.clear();
  all_ = false;
  if (bid_changes_.empty() && ask_changes_.empty()) return;
  ++update_id_;
  JsonOut depth;
  depth.BeginObject()
      .Str("e", "depthUpdate")
      .Num("E", now.millis())
      .Str("s", symbol_)
      .Num("U", static_cast<int64_t>(update_id_))
      .Num("u", static_cast<int64_t>(update_id_));
  depth.Key("b");
  WriteLevels(depth, bid_changes_);
  depth.Key("a");
  WriteLevels(depth, ask_changes_);
  depth.EndObject();
  frames->depth = depth.Take();

  int64_t top[4] = {0, 0, 0, 0};
  if (!bids_.empty()) {
    top[0] = bids_.begin()->first;
    top[1] = bids_.begin()->second;
  }
  if (!asks_.empty()) {
    top[2] = asks_.begin()->first;
    top[3] = asks_.begin()->second;
  }
  if (std::equal(top, top + 4, top_)) return;
  std::copy(top, top + 4, top_);
  JsonOut ticker;
  ticker.BeginObject()
      .Num("u", static_cast<int64_t>(update_id_))
      .Str("s", symbol_)
      .Money("b", top[0])
      .Money("B", top[1])
      .Money("a", top[2])
      .Money("A", top[3])
      .EndObject();
  frames->ticker = ticker.Take();
}

void BookPublisher::Snapshot(size_t limit, std::vector<std::pair<int64_t, int64_t>>* bids,
                             std::vector<std::pair<int64_t, int64_t>>* asks) const {
  bids->clear();
  asks->clear();
  for (auto it = bids_.begin(); it != bids_.end() && bids->size() < limit; ++it) {
    bids->emplace_back(it->first, it->second);
  }
  for (auto it = asks_.begin(); it != asks_.end() && asks->size() < limit; ++it) {
    asks->emplace_back(it->first, it->second);
  }
}

}  // namespace tradeplane::venue_sim
