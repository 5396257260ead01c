// The highest (or lowest) of the last N values, for Stochastic, Williams %R
// and the Donchian channel.
//
// A monotonic deque of (index, value) in a fixed array of N entries: each value
// enters and leaves the deque once, so Push is amortized O(1) (a single Push
// may drop up to N dominated entries) and never allocates.
#ifndef TRADEPLANE_STRATEGY_ROLLING_EXTREME_H_
#define TRADEPLANE_STRATEGY_ROLLING_EXTREME_H_

#include <cstdint>
#include <vector>

namespace tradeplane::strategy {

enum class Extreme { kMax, kMin };

template <Extreme kKind>
class RollingExtreme {
 public:
  explicit RollingExtreme(int window) : entries_(static_cast<size_t>(window)), window_(window) {}

  void Push(double value) {
    // Drop the front once it is older than the window (which includes this value).
    if (size_ > 0 && entries_[Slot(0)].index <= count_ - window_) PopFront();
    while (size_ > 0 && Dominated(entries_[Slot(size_ - 1)].value, value)) --size_;
    entries_[Slot(size_)] = Entry{count_, value};
    ++size_;
    ++count_;
  }

  // The extreme of the last min(N, pushed) values; meaningless before any Push.
  double value() const { return entries_[Slot(0)].value; }
  bool full() const { return count_ >= window_; }
  int window() const { return window_; }

  void Clear() {
    head_ = 0;
    size_ = 0;
    count_ = 0;
  }

 private:
  struct Entry {
    int64_t index = 0;
    double value = 0;
  };

  static bool Dominated(double older, double newer) {
    // An older value that is not beyond the newer one can never be the extreme again.
    return kKind == Extreme::kMax ? older <= newer : older >= newer;
  }
  size_t Slot(int i) const {
    int index = head_ + i;
    if (index >= window_) index -= window_;
    return static_cast<size_t>(index);
  }
  void PopFront() {
    head_ = head_ + 1 == window_ ? 0 : head_ + 1;
    --size_;
  }

  std::vector<Entry> entries_;
  int window_;
  int head_ = 0;
  int size_ = 0;
  int64_t count_ = 0;
};

using RollingMax = RollingExtreme<Extreme::kMax>;
using RollingMin = RollingExtreme<Extreme::kMin>;

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_ROLLING_EXTREME_H_
