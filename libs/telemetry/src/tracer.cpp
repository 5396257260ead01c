#include "tradeplane/telemetry/tracer.h"

#include <cstring>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/ids.h"

namespace tradeplane::telemetry {

void InMemorySpanExporter::Export(std::vector<SpanData>& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  for (SpanData& s : batch) spans_.push_back(std::move(s));
}

std::vector<SpanData> InMemorySpanExporter::Spans() const {
  std::lock_guard<std::mutex> lock(mu_);
  return spans_;
}

Span::Span(Span&& other) noexcept : tracer_(other.tracer_), data_(std::move(other.data_)) {
  other.tracer_ = nullptr;
}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    tracer_ = other.tracer_;
    data_ = std::move(other.data_);
    other.tracer_ = nullptr;
  }
  return *this;
}

Span::~Span() { End(); }

void Span::SetAttribute(std::string_view key, std::string_view value) {
  if (tracer_ != nullptr) data_.attributes.emplace_back(std::string(key), std::string(value));
}
void Span::SetAttribute(std::string_view key, int64_t value) {
  if (tracer_ != nullptr) data_.attributes.emplace_back(std::string(key), value);
}
void Span::SetAttribute(std::string_view key, double value) {
  if (tracer_ != nullptr) data_.attributes.emplace_back(std::string(key), value);
}
void Span::SetAttribute(std::string_view key, bool value) {
  if (tracer_ != nullptr) data_.attributes.emplace_back(std::string(key), value);
}

void Span::SetError(std::string_view message) {
  if (tracer_ == nullptr) return;
  data_.error = true;
  data_.status_message = std::string(message);
}

void Span::End() {
  if (tracer_ == nullptr) return;
  Tracer* t = tracer_;
  tracer_ = nullptr;
  data_.end_ns = SystemClock::Instance().Now().nanos();
  t->Finish(std::move(data_));
}

Tracer::Tracer(TracerOptions options, std::unique_ptr<SpanExporter> exporter)
    : options_(std::move(options)), exporter_(std::move(exporter)) {
  SystemRandom seed;
  for (uint64_t& s : random_state_) s = seed.Next();
  thread_ = std::thread([this] { ExportLoop(); });
}

Tracer::~Tracer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

uint64_t Tracer::NextRandom() {
  // xoshiro256** under a lock: span creation is far off the per-message path.
  std::lock_guard<std::mutex> lock(random_mu_);
  uint64_t* s = random_state_;
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

Span Tracer::StartSpan(std::string_view name, const SpanContext& parent, SpanKind kind) {
  Span span;
  span.tracer_ = this;
  SpanData& d = span.data_;
  d.name = std::string(name);
  d.kind = kind;
  d.start_ns = SystemClock::Instance().Now().nanos();
  if (parent.valid()) {
    d.context.trace_id = parent.trace_id;
    d.context.flags = parent.flags;
    d.parent_span_id = parent.span_id;
  } else {
    uint64_t hi = NextRandom(), lo = NextRandom();
    std::memcpy(d.context.trace_id.data(), &hi, 8);
    std::memcpy(d.context.trace_id.data() + 8, &lo, 8);
    double u = static_cast<double>(NextRandom() >> 11) * 0x1.0p-53;
    d.context.flags = u < options_.sample_ratio ? 1 : 0;
  }
  uint64_t id = NextRandom() | 1;  // never all zero
  std::memcpy(d.context.span_id.data(), &id, 8);
  return span;
}

void Tracer::Finish(SpanData&& data) {
  if (!data.context.sampled() && !data.error) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= options_.queue_size) {
      dropped_.fetch_add(1);
      return;
    }
    queue_.push_back(std::move(data));
    ++enqueued_total_;
  }
  cv_.notify_one();
}

void Tracer::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t target = enqueued_total_;
  cv_.notify_one();
  flushed_cv_.wait(lock, [&] { return done_total_ >= target; });
}

void Tracer::ExportLoop() {
  std::vector<SpanData> batch;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty() && stop_) break;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    size_t n = batch.size();
    lock.unlock();
    exporter_->Export(batch);
    exported_.fetch_add(n);
    batch.clear();
    lock.lock();
    done_total_ += n;
    flushed_cv_.notify_all();
  }
}

}  // namespace tradeplane::telemetry
