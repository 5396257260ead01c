// A small tracing API: spans with attributes, parented across processes by
// the W3C trace context the bus carries, handed to a pluggable exporter.
//
// Export never blocks the caller: ended spans go into a bounded queue that a
// background thread drains in batches; when the queue is full the span is
// dropped and counted. Sampling: a new trace is sampled with probability
// `sample_ratio`; child spans follow their parent's decision; a span that
// ends in error is exported even when its trace was not sampled, so errors
// and refusals are always visible.
#ifndef TRADEPLANE_TELEMETRY_TRACER_H_
#define TRADEPLANE_TELEMETRY_TRACER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "tradeplane/telemetry/trace_context.h"

namespace tradeplane::telemetry {

enum class SpanKind { kInternal, kServer, kClient, kProducer, kConsumer };

using AttributeValue = std::variant<std::string, int64_t, double, bool>;

struct SpanData {
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  SpanContext context;
  std::array<uint8_t, 8> parent_span_id{};  // all zero for a root span
  int64_t start_ns = 0;                     // wall clock, Unix epoch
  int64_t end_ns = 0;
  std::vector<std::pair<std::string, AttributeValue>> attributes;
  bool error = false;
  std::string status_message;
};

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  // Called on the tracer's export thread, never concurrently.
  virtual void Export(std::vector<SpanData>& batch) = 0;
};

// Keeps spans in memory; for tests.
class InMemorySpanExporter final : public SpanExporter {
 public:
  void Export(std::vector<SpanData>& batch) override;
  std::vector<SpanData> Spans() const;

 private:
  mutable std::mutex mu_;
  std::vector<SpanData> spans_;
};

struct TracerOptions {
  std::string service_name;
  double sample_ratio = 1.0;
  size_t queue_size = 4096;
  size_t max_batch = 256;
};

class Tracer;

// One operation. Ends (and is queued for export) when End() is called or it
// goes out of scope. Move-only.
class Span {
 public:
  Span() = default;
  Span(Span&& other) noexcept;
  Span& operator=(Span&& other) noexcept;
  ~Span();

  const SpanContext& context() const { return data_.context; }
  bool recording() const { return tracer_ != nullptr; }
  void SetAttribute(std::string_view key, std::string_view value);
  void SetAttribute(std::string_view key, const char* value) {
    SetAttribute(key, std::string_view(value));
  }
  void SetAttribute(std::string_view key, int64_t value);
  void SetAttribute(std::string_view key, double value);
  void SetAttribute(std::string_view key, bool value);
  void SetError(std::string_view message);
  void End();

 private:
  friend class Tracer;
  Tracer* tracer_ = nullptr;
  SpanData data_;
};

// `span` made the thread's current span for as long as this lives (logs and
// bus messages sent meanwhile carry it). When `span` does not record (no
// tracer in this process), `parent` stays current instead, so a trace that
// passes through an untraced service still reaches the next one.
class ScopedSpan {
 public:
  ScopedSpan(Span span, const SpanContext& parent)
      : span_(std::move(span)), scope_(span_.recording() ? span_.context() : parent) {}
  ScopedSpan(const ScopedSpan&) = delete;
  ScopedSpan& operator=(const ScopedSpan&) = delete;

  Span* operator->() { return &span_; }
  Span& span() { return span_; }

 private:
  Span span_;  // ends after the scope below has restored the previous context
  ScopedTraceContext scope_;
};

class Tracer {
 public:
  Tracer(TracerOptions options, std::unique_ptr<SpanExporter> exporter);
  // Exports what is queued, then stops.
  ~Tracer();

  // A child of `parent` when it is valid, else the root of a new trace.
  Span StartSpan(std::string_view name, const SpanContext& parent,
                 SpanKind kind = SpanKind::kInternal);
  // Child of the thread's current span.
  Span StartSpan(std::string_view name, SpanKind kind = SpanKind::kInternal) {
    return StartSpan(name, CurrentSpanContext(), kind);
  }

  // Blocks until everything queued so far has been exported (tests, shutdown).
  void Flush();
  uint64_t dropped() const { return dropped_.load(); }
  uint64_t exported() const { return exported_.load(); }
  const std::string& service_name() const { return options_.service_name; }

 private:
  friend class Span;
  void Finish(SpanData&& data);
  void ExportLoop();
  uint64_t NextRandom();

  TracerOptions options_;
  std::unique_ptr<SpanExporter> exporter_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable flushed_cv_;
  std::deque<SpanData> queue_;
  uint64_t enqueued_total_ = 0;
  uint64_t done_total_ = 0;
  bool stop_ = false;
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> exported_{0};
  std::mutex random_mu_;
  uint64_t random_state_[4];
  std::thread thread_;
};

}  // namespace tradeplane::telemetry

#endif  // TRADEPLANE_TELEMETRY_TRACER_H_
