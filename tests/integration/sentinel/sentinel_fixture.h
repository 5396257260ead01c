// tradeplane-sentinel as a real process on a real PostgreSQL, with the test
// playing market data and execution (one PUB socket carrying md.book and
// exec.* in order, so a book update is always seen before the order that
// refers to it) and the compliance officer (tradectl and gRPC admin calls).
// Optionally a real tradeplane-risk process, for the blocks sentinel asks of
// it on critical alerts.
#ifndef TRADEPLANE_TESTS_INTEGRATION_SENTINEL_SENTINEL_FIXTURE_H_
#define TRADEPLANE_TESTS_INTEGRATION_SENTINEL_SENTINEL_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::sentinel_test {

inline constexpr char kComplianceToken[] = "compliance:0123456789abcdef0123";
// 2023-11-14T22:13:20Z: the event times of the patterns are offsets from it.
inline constexpr int64_t kT0 = 1'700'000'000'000'000'000;
inline constexpr int64_t kSecond = 1'000'000'000;

// tradeplane-risk with its own database and nothing else around it: enough
// to take (and audit) the blocks sentinel asks for.
class RiskProcess {
 public:
  RiskProcess();
  ~RiskProcess();
  std::string target() const;
  // The file holding the token risk accepts from sentinel.
  std::string sentinel_token_file() const { return dir_.File("sentinel-token"); }
  admin::v1::ModeState GetMode();
  std::string Query(const std::string& sql);
  std::string Log() const;

 private:
  testing::TempDir dir_;
  std::string conninfo_;
  int admin_port_ = 0;
  std::unique_ptr<testing::Subprocess> process_;
};

struct SentinelOptions {
  bool block_on_critical = false;
  std::string risk_target;      // empty: a port nothing listens on
  std::string risk_token_file;  // empty: none
  std::string conninfo;         // empty: a fresh database in the shared cluster
};

class SentinelWorld {
 public:
  explicit SentinelWorld(SentinelOptions options = {});
  ~SentinelWorld();

  // Publishes book snapshots until sentinel counts events: from then on,
  // every message published reaches it.
  void Sync();
  // Waits until sentinel has fed `n` more events to its detectors than when
  // Mark() was last called.
  void Mark();
  void WaitEvents(int64_t n);

  // The market: a one-level book around 0.3505 (bid 0.3500, ask 0.3510, 100 each).
  void PublishBook(int64_t time_ns);
  // Our order flow as execution reports it.
  void PublishFill(const std::string& fill_id, const std::string& strategy, common::v1::Side side,
                   orders::v1::Liquidity liquidity, const std::string& price,
                   const std::string& qty, int64_t time_ns);
  void PublishSubmit(const std::string& client_order_id, const std::string& strategy,
                     common::v1::Side side, const std::string& price, const std::string& qty,
                     int64_t time_ns);
  void PublishCancel(const std::string& client_order_id, const std::string& strategy,
                     common::v1::Side side, const std::string& price, const std::string& qty,
                     int64_t time_ns);
  void PublishRaw(const std::string& topic, const google::protobuf::Message& message);

  // Two strategies of owner desk-a ("quoting" offers, "trend" takes it) at
  // the same price and size 2 ms apart: 2 events, one wash-trade alert.
  void WashPattern(const std::string& tag, int64_t time_ns);
  // Strategy "spoofer" offers 2000 just above the ask (20x the displayed
  // depth: a critical alert), buys 100 on the bid, cancels the offer 0.5 s
  // later: 4 events (book, submit, fill, cancel), one spoofing alert.
  void SpoofPattern(const std::string& tag, int64_t time_ns);

  // The operator.
  testing::CommandResult Tradectl(std::vector<std::string> args,
                                  const std::string& token_file = "");
  std::unique_ptr<admin::v1::SentinelAdmin::Stub> Admin();
  admin::AdminClientOptions AdminOptions(const std::string& token = kComplianceToken) const;
  admin::v1::ServiceStatus Status();
  double Counter(const std::string& name);

  std::string Query(const std::string& sql);
  bool Running() { return process_ != nullptr && process_->Running(); }
  std::string Log() const;
  std::string File(const std::string& name) const { return dir_.File(name); }

 private:
  SentinelOptions options_;
  testing::TempDir dir_;
  std::string conninfo_;
  int admin_port_ = 0;
  uint64_t book_sequence_ = 0;
  int64_t mark_ = 0;
  std::unique_ptr<bus::BusContext> bus_;
  std::unique_ptr<bus::Publisher> feed_;
  std::unique_ptr<testing::Subprocess> process_;
};

}  // namespace tradeplane::sentinel_test

#endif  // TRADEPLANE_TESTS_INTEGRATION_SENTINEL_SENTINEL_FIXTURE_H_
