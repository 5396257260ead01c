// tradeplane-signal as a real process for tests, with its neighbours played
// by the test over real ZeroMQ sockets: market data (a PUB of md.*),
// execution (a PUB of exec.fill.*), risk (a REP answering intents, or not
// answering at all), a SUB of sig.*, and an operator on the gRPC admin plane.
// Risk answers on a thread of its own, so the service is never left waiting
// while the test is blocked in an admin call; everything else runs on the
// test's thread: Pump() reads sig.*, WaitFor() pumps until a condition holds
// or a deadline passes.
#ifndef TRADEPLANE_TESTS_INTEGRATION_SIGNAL_SIGNAL_HARNESS_H_
#define TRADEPLANE_TESTS_INTEGRATION_SIGNAL_SIGNAL_HARNESS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/signal/v1/signal.pb.h"
#include "tradeplane/telemetry/trace_context.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::testing {

// The instrument every scenario trades: SIM.NKNUSDT, tick 0.00001, lot 0.1.
inline constexpr char kSymbol[] = "NKNUSDT";

class SignalHarness {
 public:
  enum class RiskMode { kApprove, kRefuse, kSilent };

  // One intent as risk received it (handler calls only: a retry with a
  // request id already answered is served from the reply cache and counted
  // in risk_duplicates()).
  struct SeenIntent {
    signal::v1::OrderIntent intent;
    std::string request_id;
    telemetry::SpanContext trace;
  };
  struct SeenSignal {
    std::string topic;
    signal::v1::SignalEvent event;
  };

  // `strategies_yaml`: the config's `strategies:` section. `risk_timeout_ms`:
  // how long the service waits for each attempt at risk (1 retry).
  SignalHarness(std::string strategies_yaml, int risk_timeout_ms = 2000);
  ~SignalHarness();

  // Writes the config and starts the process (the neighbours' sockets are
  // bound first); does not wait.
  void Start();
  // Start, then wait until the admin plane says ready and both directions of
  // the bus are live (WaitLive).
  void StartAndWaitLive();
  // Publishes crossed quotes (each with a new price, so each note differs and
  // is published) until a sig.* note about one comes back: proves the
  // service's md subscription and this harness's sig subscription are live.
  void WaitLive();
  Subprocess& process() { return *process_; }
  std::string Log() const;
  const std::string& config_file() const { return config_file_; }

  // ---- market data and execution ----
  // A quote on md.quote.SIM.NKNUSDT (prices and quantities as decimals),
  // timed `age` before now, carrying a fresh trace context that it returns.
  telemetry::SpanContext PublishQuote(const std::string& bid, const std::string& ask,
                                      const std::string& qty = "1000",
                                      std::chrono::nanoseconds age = {});
  // A one-level book snapshot on md.book.SIM.NKNUSDT.
  void PublishBook(const std::string& bid, const std::string& ask, const std::string& qty,
                   std::chrono::nanoseconds age = {});
  // One of the strategy's own fills on exec.fill.SIM.NKNUSDT.
  void PublishFill(const std::string& fill_id, const std::string& strategy_id,
                   const std::string& client_order_id, common::v1::Side side,
                   const std::string& price, const std::string& qty);

  // ---- risk ----
  void set_risk_mode(RiskMode mode);
  // Copies: risk's thread appends.
  std::vector<SeenIntent> risk_intents() const;
  std::vector<SeenIntent> RiskIntentsOf(const std::string& strategy_id) const;
  uint64_t risk_duplicates() const;

  // ---- sig.* ----
  const std::vector<SeenSignal>& signals() const { return signals_; }

  // ---- the loop ----
  void Pump();
  bool WaitFor(const std::function<bool()>& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // ---- operator (gRPC admin) ----
  admin::v1::ListStrategiesResponse ListStrategies();
  const admin::v1::StrategyInfo* FindStrategy(const admin::v1::ListStrategiesResponse& list,
                                              const std::string& id) const;
  grpc::Status SetEnabled(const std::string& id, bool enabled, const std::string& reason,
                          admin::v1::StrategyInfo* out = nullptr);
  // A counter from the admin status ("intents", "approved", "refused",
  // "unanswered", "dropped"); -1 when the service does not answer.
  double StatusCounter(const std::string& name);

 private:
  void PrepareContext(grpc::ClientContext* context) const;
  void RunRisk();
  absl::Status AnswerIntent(const signal::v1::OrderIntent& intent,
                            const bus::RequestContext& context, risk::v1::RiskDecision* decision);

  TempDir dir_;
  std::string strategies_yaml_;
  int risk_timeout_ms_;
  int admin_port_;
  std::string config_file_;
  std::unique_ptr<bus::BusContext> md_bus_;
  std::unique_ptr<bus::BusContext> exec_bus_;
  std::unique_ptr<bus::BusContext> risk_bus_;
  std::unique_ptr<bus::Publisher> md_;
  std::unique_ptr<bus::Publisher> exec_;
  std::unique_ptr<bus::ReplyServer> risk_;
  std::unique_ptr<bus::Subscriber> sig_;
  std::unique_ptr<Subprocess> process_;
  std::shared_ptr<grpc::Channel> channel_;
  std::thread risk_thread_;
  mutable std::mutex risk_mu_;  // guards risk_, risk_mode_, risk_intents_
  std::condition_variable risk_cv_;
  bool risk_stop_ = false;
  RiskMode risk_mode_ = RiskMode::kApprove;
  std::vector<SeenIntent> risk_intents_;
  std::vector<SeenSignal> signals_;
  uint64_t trace_counter_ = 0;
  uint64_t book_sequence_ = 0;
};

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTS_INTEGRATION_SIGNAL_SIGNAL_HARNESS_H_
