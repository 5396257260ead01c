// A FIFO over a power-of-two array: the sliding windows of the detectors.
// push_back and pop_front are O(1); capacity doubles when full and is kept
// when elements leave, so a window that has reached its working size never
// allocates again (std::deque frees and reallocates blocks as it slides).
#ifndef TRADEPLANE_SURVEILLANCE_RING_BUFFER_H_
#define TRADEPLANE_SURVEILLANCE_RING_BUFFER_H_

#include <cstddef>
#include <utility>
#include <vector>

namespace tradeplane::surveillance {

template <typename T>
class RingBuffer {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // i = 0 is the oldest element.
  T& operator[](size_t i) { return slots_[(head_ + i) & mask_]; }
  const T& operator[](size_t i) const { return slots_[(head_ + i) & mask_]; }
  T& front() { return slots_[head_]; }
  const T& front() const { return slots_[head_]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  void push_back(const T& value) {
    if (size_ == slots_.size()) Grow();
    slots_[(head_ + size_) & mask_] = value;
    ++size_;
  }
  void pop_front() {
    head_ = (head_ + 1) & mask_;
    --size_;
  }
  void clear() {
    head_ = 0;
    size_ = 0;
  }

 private:
  void Grow() {
    size_t capacity = slots_.empty() ? 8 : slots_.size() * 2;
    std::vector<T> grown(capacity);
    for (size_t i = 0; i < size_; ++i) grown[i] = std::move((*this)[i]);
    slots_ = std::move(grown);
    head_ = 0;
    mask_ = capacity - 1;
  }

  std::vector<T> slots_;
  size_t head_ = 0;
  size_t size_ = 0;
  size_t mask_ = 0;
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_RING_BUFFER_H_
