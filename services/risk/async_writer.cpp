#include "async_writer.h"

#include "tradeplane/telemetry/log.h"

namespace tradeplane::risk_service {

AsyncWriter::AsyncWriter(store::RiskStore* store) : store_(store) {
  thread_ = std::thread([this] { Loop(); });
}

AsyncWriter::~AsyncWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void AsyncWriter::Decision(const risk::v1::RiskDecision& decision) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    decisions_.push_back(decision);
  }
  cv_.notify_one();
}

void AsyncWriter::Fill(const orders::v1::Fill& fill, int64_t applied_ns) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    fills_.emplace_back(fill, applied_ns);
  }
  cv_.notify_one();
}

size_t AsyncWriter::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return decisions_.size() + fills_.size();
}

void AsyncWriter::Loop() {
  constexpr size_t kBatch = 500;
  bool failing = false;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // After a failure, retry once a second rather than spin.
    cv_.wait_for(lock, failing ? std::chrono::seconds(1) : std::chrono::hours(1),
                 [&] { return stop_ || (!failing && (!decisions_.empty() || !fills_.empty())); });
    if (decisions_.empty() && fills_.empty()) {
      if (stop_) return;
      continue;
    }
    std::vector<risk::v1::RiskDecision> decisions(
        decisions_.begin(),
        decisions_.begin() + static_cast<long>(std::min(kBatch, decisions_.size())));
    std::vector<std::pair<orders::v1::Fill, int64_t>> fills(
        fills_.begin(), fills_.begin() + static_cast<long>(std::min(kBatch, fills_.size())));
    lock.unlock();
    absl::Status s = decisions.empty() ? absl::OkStatus() : store_->AppendDecisions(decisions);
    if (s.ok() && !fills.empty()) {
      std::vector<orders::v1::Fill> batch;
      for (auto& [f, t] : fills) batch.push_back(f);
      s = store_->AppendFills(batch, fills.front().second);
    }
    lock.lock();
    if (s.ok()) {
      decisions_.erase(decisions_.begin(),
                       decisions_.begin() + static_cast<long>(decisions.size()));
      fills_.erase(fills_.begin(), fills_.begin() + static_cast<long>(fills.size()));
      failing = false;
    } else {
      if (!failing) telemetry::LogWarn("risk records wait for the database", {{"error", s}});
      failing = true;
      if (stop_) return;  // the database is away at shutdown: nothing more to do
    }
  }
}

}  // namespace tradeplane::risk_service
