// Writes records to PostgreSQL off the main loop, in order, in batches, and
// keeps them (in memory) while the database is away. The intent path must
// not wait for a commit: the order itself is made durable by execution's
// journal before it is sent; decisions and applied fills follow within
// milliseconds.
#ifndef TRADEPLANE_SERVICES_RISK_ASYNC_WRITER_H_
#define TRADEPLANE_SERVICES_RISK_ASYNC_WRITER_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/store/risk_store.h"

namespace tradeplane::risk_service {

class AsyncWriter {
 public:
  explicit AsyncWriter(store::RiskStore* store);
  ~AsyncWriter();  // writes what it can, then stops

  void Decision(const risk::v1::RiskDecision& decision);
  void Fill(const orders::v1::Fill& fill, int64_t applied_ns);
  size_t pending() const;

 private:
  void Loop();

  store::RiskStore* store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<risk::v1::RiskDecision> decisions_;
  std::deque<std::pair<orders::v1::Fill, int64_t>> fills_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tradeplane::risk_service

#endif  // TRADEPLANE_SERVICES_RISK_ASYNC_WRITER_H_
