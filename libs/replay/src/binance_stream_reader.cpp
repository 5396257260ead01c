#include "binance_stream_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "tradeplane/core/str_cat.h"

#include <sys/eventfd.h>
#include <unistd.h>

namespace tradeplane::replay {

absl::StatusOr<std::unique_ptr<BinanceStreamReader>> BinanceStreamReader::Start(
    BinanceStreamReaderOptions options) {
  int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) {
    return absl::InternalError(
        StrCat("binance feed: cannot create its wake-up eventfd: ", std::strerror(errno)));
  }
  std::unique_ptr<BinanceStreamReader> reader(new BinanceStreamReader(std::move(options), fd));
  reader->thread_ = std::thread([r = reader.get()] { r->Run(); });
  return reader;
}

BinanceStreamReader::BinanceStreamReader(BinanceStreamReaderOptions options, int wake_fd)
    : options_(std::move(options)), wake_fd_(wake_fd) {}

BinanceStreamReader::~BinanceStreamReader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  close(wake_fd_);
}

void BinanceStreamReader::RequestSnapshot(const std::string& symbol, uint64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back({symbol, generation});
}

bool BinanceStreamReader::Take(size_t max_items, std::vector<BinanceStreamItem>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = std::min(max_items, queue_.size());
  out->resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (queue_.front().kind == BinanceStreamItem::Kind::kFrame) --queued_frames_;
    (*out)[i] = std::move(queue_.front());
    queue_.pop_front();
  }
  // The eventfd is cleared while the lock is held: a Push after this point
  // finds the queue empty and signals again, so no item is left unsignalled.
  if (queue_.empty()) ClearWake();
  return !queue_.empty();
}

void BinanceStreamReader::ClearWake() {
  uint64_t value = 0;
  // Nonblocking: EAGAIN when nothing was signalled.
  while (read(wake_fd_, &value, sizeof value) < 0 && errno == EINTR) {
  }
}

void BinanceStreamReader::Wake() {
  uint64_t one = 1;
  while (write(wake_fd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

void BinanceStreamReader::Push(BinanceStreamItem item) {
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (item.kind == BinanceStreamItem::Kind::kFrame) {
      if (queued_frames_ >= options_.max_queued_frames) {
        // The feed's thread is behind: dropping keeps the socket read (Binance
        // cuts slow consumers); the depth sync sees the gap and resyncs.
        counters_.frames_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      ++queued_frames_;
    }
    was_empty = queue_.empty();
    queue_.push_back(std::move(item));
  }
  if (was_empty) Wake();
}

bool BinanceStreamReader::WaitFor(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(mu_);
  return !stop_cv_.wait_for(lock, delay, [this] { return stop_; });
}

void BinanceStreamReader::Run() {
  std::chrono::milliseconds backoff = options_.initial_backoff;
  auto grow = [&] { backoff = std::min(backoff * 2, options_.max_backoff); };
  for (;;) {
    if (Stopping()) return;
    absl::Status s = ws_.Connect(options_.stream_url, options_.connect_timeout);
    if (!s.ok()) {
      counters_.connect_failures.fetch_add(1, std::memory_order_relaxed);
      Push({.kind = BinanceStreamItem::Kind::kNotice,
            .receive_time = Now(),
            .text = StrCat("cannot connect (retrying in ", backoff.count(),
                           " ms): ", ToStd(s.message()))});
      if (!WaitFor(backoff)) return;
      grow();
      continue;
    }
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mu_);
      generation = ++generation_;
      // Requests made for an earlier connection belong to books that are
      // being started over.
      std::erase_if(requests_,
                    [&](const SnapshotRequest& r) { return r.generation != generation; });
    }
    counters_.connects.fetch_add(1, std::memory_order_relaxed);
    Push({.kind = BinanceStreamItem::Kind::kConnected,
          .generation = generation,
          .receive_time = Now(),
          .text = StrCat("connected to ", options_.stream_url)});
    uint64_t frames_before = counters_.frames.load();
    ConnectionEnd end = Serve(generation);
    if (end == ConnectionEnd::kStopping) return;
    // A connection that carried frames was healthy: the next failure starts
    // the backoff over.
    if (counters_.frames.load() > frames_before) backoff = options_.initial_backoff;
    if (end == ConnectionEnd::kRollover) continue;  // reconnect at once
    if (!WaitFor(backoff)) return;
    grow();
  }
}

BinanceStreamReader::ConnectionEnd BinanceStreamReader::Serve(uint64_t generation) {
  int64_t rollover_at_ns =
      MonotonicNanos() +
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.rollover).count();
  for (;;) {
    if (Stopping()) {
      (void)ws_.Close(std::chrono::milliseconds(1000));
      return ConnectionEnd::kStopping;
    }
    if (MonotonicNanos() >= rollover_at_ns) {
      // Binance ends every connection after 24 hours; going first, at a
      // moment of our choosing, avoids learning of it from a dead socket.
      (void)ws_.Close(std::chrono::milliseconds(1000));
      counters_.rollovers.fetch_add(1, std::memory_order_relaxed);
      Push({.kind = BinanceStreamItem::Kind::kDisconnected,
            .generation = generation,
            .receive_time = Now(),
            .text = StrCat("connection closed after the rollover period (",
                           options_.rollover.count(), " s): reconnecting")});
      return ConnectionEnd::kRollover;
    }
    bool fetch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      fetch = !requests_.empty();
    }
    // One snapshot per turn, so the stream is read between requests.
    if (fetch) FetchOneSnapshot(generation);
    absl::StatusOr<std::string> frame = ws_.Receive(options_.receive_slice);
    if (frame.ok()) {
      counters_.frames.fetch_add(1, std::memory_order_relaxed);
      Push({.kind = BinanceStreamItem::Kind::kFrame,
            .generation = generation,
            .receive_time = Now(),
            .text = std::move(*frame)});
      continue;
    }
    if (absl::IsDeadlineExceeded(frame.status())) continue;
    counters_.disconnects.fetch_add(1, std::memory_order_relaxed);
    const net::WebSocketCloseInfo& why = ws_.close_info();
    Push({.kind = BinanceStreamItem::Kind::kDisconnected,
          .generation = generation,
          .receive_time = Now(),
          .text = StrCat("connection lost (close code ", why.code, why.reason.empty() ? "" : ": ",
                         why.reason, "): ", ToStd(frame.status().message()))});
    return ConnectionEnd::kLost;
  }
}

void BinanceStreamReader::FetchOneSnapshot(uint64_t generation) {
  SnapshotRequest request;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (requests_.empty()) return;
    request = std::move(requests_.front());
    requests_.pop_front();
  }
  if (request.generation != generation) return;
  BinanceStreamItem item;
  item.kind = BinanceStreamItem::Kind::kSnapshot;
  item.generation = generation;
  item.symbol = request.symbol;
  item.url = StrCat(options_.depth_url_prefix, request.symbol, options_.depth_url_suffix);
  counters_.snapshots_requested.fetch_add(1, std::memory_order_relaxed);
  absl::StatusOr<net::HttpResponse> r = http_.Get(item.url, {}, options_.snapshot_timeout);
  item.receive_time = Now();
  if (!r.ok()) {
    item.text = std::string(ToStd(r.status().message()));
  } else {
    item.http_status = r->status;
    item.retry_after = r->RetryAfter().value_or(std::chrono::seconds(0));
    item.text = std::move(r->body);
  }
  Push(std::move(item));
}

bool BinanceStreamReader::Stopping() {
  std::lock_guard<std::mutex> lock(mu_);
  return stop_;
}

}  // namespace tradeplane::replay
