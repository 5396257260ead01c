// A fixed-capacity ring of doubles: the window behind every rolling indicator.
//
// The storage is allocated once, at construction; Push never allocates and is
// O(1). When full, Push overwrites the oldest value.
#ifndef TRADEPLANE_STRATEGY_RING_BUFFER_H_
#define TRADEPLANE_STRATEGY_RING_BUFFER_H_

#include <vector>

namespace tradeplane::strategy {

class RingBuffer {
 public:
  explicit RingBuffer(int capacity) : data_(static_cast<size_t>(capacity)), capacity_(capacity) {}

  int capacity() const { return capacity_; }
  int size() const { return size_; }
  bool full() const { return size_ == capacity_; }

  void Push(double value) {
    data_[static_cast<size_t>(head_)] = value;
    head_ = head_ + 1 == capacity_ ? 0 : head_ + 1;
    if (size_ < capacity_) ++size_;
  }

  // Chronological access: at(0) is the oldest value held, at(size() - 1) the newest.
  double at(int i) const {
    int index = head_ - size_ + i;
    if (index < 0) index += capacity_;
    return data_[static_cast<size_t>(index)];
  }
  double oldest() const { return at(0); }
  double newest() const { return at(size_ - 1); }

  // Storage order (slot 0 first), which is the order TA-Lib's circular buffers
  // are summed in; reproducing it keeps results identical to the last bit.
  double slot(int i) const { return data_[static_cast<size_t>(i)]; }

  void Clear() {
    head_ = 0;
    size_ = 0;
  }

 private:
  std::vector<double> data_;
  int capacity_;
  int head_ = 0;  // the next slot written; when full, also the oldest
  int size_ = 0;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_RING_BUFFER_H_
