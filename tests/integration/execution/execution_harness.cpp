#include "execution_harness.h"

#include <csignal>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/bus/topic.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::testing {
namespace {

int64_t Raw(const std::string& decimal) {
  absl::StatusOr<int64_t> raw = fixed_point::ParseRaw(decimal);
  REQUIRE(raw.ok());
  return *raw;
}

common::v1::InstrumentId BtcUsdt() {
  common::v1::InstrumentId id;
  id.set_venue(common::v1::VENUE_BINANCE);
  id.set_symbol("BTCUSDT");
  return id;
}

}  // namespace

ExecutionHarness::ExecutionHarness(std::string venue_and_instruments)
    : extra_(std::move(venue_and_instruments)), admin_port_(FreeTcpPort()) {
  absl::StatusOr<std::string> conninfo = PgCluster::Shared().CreateDatabase();
  REQUIRE(conninfo.ok());
  conninfo_ = *conninfo;
  WriteFile(dir_.File("approval.key"), std::string(kApprovalKeyHex) + "\n");
  WriteFile(dir_.File("tokens"), std::string(kAdminToken) + "\n");
  absl::StatusOr<ApprovalKey> key = ApprovalKey::FromHex(kApprovalKeyHex);
  REQUIRE(key.ok());
  key_ = std::make_unique<ApprovalKey>(std::move(*key));
  WriteConfig();

  config::v1::BusConfig bus_config;
  bus_ = std::make_unique<bus::BusContext>(bus::BusIdentity{"risk", 0, 0}, bus_config, nullptr);
  config::v1::ClientConfig client;
  client.mutable_socket()->set_endpoint(dir_.Ipc("orders"));
  client.set_timeout_ms(8000);
  client.set_retries(0);
  auto c = bus::RequestClient::Create(*bus_, client, "execution");
  REQUIRE(c.ok());
  client_ = std::move(*c);
  config::v1::SocketConfig md;
  md.set_endpoint(dir_.Ipc("md"));
  auto p = bus::Publisher::Create(*bus_, md, "md");
  REQUIRE(p.ok());
  md_ = std::move(*p);
  auto s = bus::Subscriber::Create(*bus_, "exec");
  REQUIRE(s.ok());
  sub_ = std::move(*s);
  config::v1::SocketConfig exec;
  exec.set_endpoint(dir_.Ipc("exec"));
  REQUIRE(sub_->Connect(exec).ok());
  REQUIRE(sub_->SubscribePrefix("exec.").ok());
  sub_->On<orders::v1::ExecutionReport>(
      [this](const orders::v1::ExecutionReport& r, const bus::Delivery& d) {
        reports_.push_back(r);
        report_topics_.emplace_back(r.order().client_order_id(), std::string(d.topic));
      });
  sub_->On<orders::v1::Fill>(
      [this](const orders::v1::Fill& f, const bus::Delivery&) { fills_.push_back(f); });

  config::v1::StoreConfig store;
  store.set_conninfo(conninfo_);
  store.set_pool_size(1);
  auto db = store::Database::Create(store);
  REQUIRE(db.ok());
  db_ = std::move(*db);
  journal_ = std::make_unique<store::ExecutionStore>(*db_);
}

ExecutionHarness::~ExecutionHarness() {
  Kill();
  sub_.reset();
  md_.reset();
  client_.reset();
}

void ExecutionHarness::WriteConfig() {
  WriteFile(dir_.File("execution.yaml"), ConfigYaml(0, admin_port_));
}

std::string ExecutionHarness::ConfigYaml(int instance, int admin_port) const {
  std::string log_file = instance == 0 ? "exec.log" : "exec-" + std::to_string(instance) + ".log";
  std::string election = leader_election_poll_ms_ == 0
                             ? std::string()
                             : "  leader_election: {enabled: true, poll_interval_ms: " +
                                   std::to_string(leader_election_poll_ms_) + "}\n";
  return "common:\n"
         "  identity: {instance: " +
         std::to_string(instance) +
         "}\n"
         "  admin: {port: " +
         std::to_string(admin_port) +
         ", token_file: tokens}\n"
         "  telemetry: {metrics_port: -1, log_file: " +
         log_file + "}\n" + election + "  store: {conninfo: '" + conninfo_ +
         "', pool_size: 2}\n"
         "orders: {endpoint: '" +
         dir_.Ipc("orders") +
         "'}\n"
         "publisher: {endpoint: '" +
         dir_.Ipc("exec") +
         "'}\n"
         "market_data: {endpoint: '" +
         dir_.Ipc("md") +
         "'}\n"
         "approval_key_file: approval.key\n" +
         extra_;
}

void ExecutionHarness::EnableLeaderElection(int poll_interval_ms) {
  leader_election_poll_ms_ = poll_interval_ms;
  WriteConfig();
}

std::unique_ptr<Subprocess> ExecutionHarness::StartInstance(int instance, int admin_port) {
  std::string config = dir_.File("execution-" + std::to_string(instance) + ".yaml");
  WriteFile(config, ConfigYaml(instance, admin_port));
  Subprocess::Options options;
  options.output_file = dir_.File("stdout-" + std::to_string(instance) + ".txt");
  auto p = Subprocess::Start({BinaryPath("tradeplane-execution"), "--config", config}, options);
  REQUIRE(p.ok());
  return std::move(*p);
}

admin::v1::ServiceStatus ExecutionHarness::StatusAt(int admin_port) {
  admin::v1::ServiceStatus status;
  auto channel = admin::MakeAdminChannel(
      {.target = "127.0.0.1:" + std::to_string(admin_port), .token = kAdminToken});
  REQUIRE(channel.ok());
  auto stub = admin::v1::Admin::NewStub(*channel);
  grpc::ClientContext ctx;
  PrepareContext(&ctx);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  admin::v1::GetStatusRequest req;
  if (!stub->GetStatus(&ctx, req, &status).ok()) status.set_not_ready_reason("no answer");
  return status;
}

void ExecutionHarness::Start(std::vector<std::pair<std::string, std::string>> env) {
  Kill();
  // libzmq re-sends a SUB socket's subscriptions after its publisher went
  // away only when the socket's own thread touches it (a receive or a poll).
  // Until then a new incarnation's publisher has no subscriber and drops
  // what it publishes, such as the reports of its recovery. A service's
  // poll loop does this all the time; the harness does it here and while it
  // waits for readiness, so the subscriptions are queued before the new
  // process publishes anything.
  Pump();
  Subprocess::Options options;
  options.env = std::move(env);
  options.output_file = dir_.File("stdout.txt");
  auto p = Subprocess::Start(
      {BinaryPath("tradeplane-execution"), "--config", dir_.File("execution.yaml")}, options);
  REQUIRE(p.ok());
  process_ = std::move(*p);
}

std::optional<int> ExecutionHarness::WaitExit(std::chrono::milliseconds timeout) {
  return process_ == nullptr ? std::optional<int>() : process_->Wait(timeout);
}

void ExecutionHarness::Kill() {
  if (process_ != nullptr) {
    process_->Signal(SIGKILL);
    process_->Wait(std::chrono::seconds(10));
    process_.reset();
  }
}

void ExecutionHarness::PrepareContext(grpc::ClientContext* context) const {
  admin::PrepareContext(context, {.target = "127.0.0.1:" + std::to_string(admin_port_),
                                  .token = kAdminToken,
                                  .timeout_ms = 20000});
}

std::unique_ptr<admin::v1::ExecutionAdmin::Stub> ExecutionHarness::AdminStub() {
  auto channel = admin::MakeAdminChannel(
      {.target = "127.0.0.1:" + std::to_string(admin_port_), .token = kAdminToken});
  REQUIRE(channel.ok());
  return admin::v1::ExecutionAdmin::NewStub(*channel);
}

std::unique_ptr<admin::v1::Admin::Stub> ExecutionHarness::StatusStub() {
  auto channel = admin::MakeAdminChannel(
      {.target = "127.0.0.1:" + std::to_string(admin_port_), .token = kAdminToken});
  REQUIRE(channel.ok());
  return admin::v1::Admin::NewStub(*channel);
}

admin::v1::ServiceStatus ExecutionHarness::Status() { return StatusAt(admin_port_); }

bool ExecutionHarness::Ready() { return Status().ready(); }

void ExecutionHarness::WaitReady() {
  bool ready = WaitUntil(
      [&] {
        Pump();  // see Start: keeps the exec.* subscription alive across restarts
        return Ready();
      },
      std::chrono::seconds(30));
  INFO(Log());
  REQUIRE(ready);
}

orders::v1::NewOrder ExecutionHarness::Order(const std::string& client_order_id,
                                             common::v1::Side side, const std::string& qty,
                                             const std::string& price,
                                             orders::v1::OrderType type) const {
  orders::v1::NewOrder o;
  o.set_client_order_id(client_order_id);
  o.set_strategy_id("test-strategy");
  *o.mutable_instrument() = BtcUsdt();
  o.set_side(side);
  o.set_order_type(type);
  o.set_time_in_force(orders::v1::TIME_IN_FORCE_GTC);
  o.set_qty(Raw(qty));
  o.set_price(type == orders::v1::ORDER_TYPE_MARKET ? 0 : Raw(price));
  o.set_intent_id("intent-" + client_order_id);
  o.mutable_approval()->set_decision_id("decision-" + client_order_id);
  o.mutable_approval()->set_approved_ns(SystemClock::Instance().Now().nanos());
  key_->Sign(&o);
  return o;
}

absl::StatusOr<orders::v1::ExecutionReply> ExecutionHarness::Call(
    const orders::v1::ExecutionRequest& request, const std::string& request_id, int timeout_ms) {
  orders::v1::ExecutionReply reply;
  std::string id =
      request_id.empty() ? "test-request-" + std::to_string(++request_seq_) : request_id;
  absl::Status s = client_->Call(request, &reply, {.request_id = id, .timeout_ms = timeout_ms});
  if (!s.ok()) return s;
  return reply;
}

absl::StatusOr<orders::v1::ExecutionReply> ExecutionHarness::Place(
    const orders::v1::NewOrder& order, const std::string& request_id) {
  orders::v1::ExecutionRequest request;
  *request.mutable_new_order() = order;
  return Call(request, request_id);
}

void ExecutionHarness::PublishTrade(const std::string& price, const std::string& qty,
                                    common::v1::Side aggressor) {
  marketdata::v1::Trade t;
  *t.mutable_instrument() = BtcUsdt();
  t.set_price(Raw(price));
  t.set_qty(Raw(qty));
  t.set_aggressor_side(aggressor);
  t.set_trade_id(std::to_string(++trade_seq_));
  md_time_ns_ += 1'000'000;
  t.set_exchange_time_ns(md_time_ns_);
  REQUIRE(md_->Publish(bus::InstrumentTopic("md", "trade", t.instrument()), t).ok());
}

void ExecutionHarness::PublishQuote(const std::string& bid, const std::string& ask,
                                    const std::string& qty) {
  marketdata::v1::Quote q;
  *q.mutable_instrument() = BtcUsdt();
  q.set_bid_price(Raw(bid));
  q.set_bid_qty(Raw(qty));
  q.set_ask_price(Raw(ask));
  q.set_ask_qty(Raw(qty));
  md_time_ns_ += 1'000'000;
  q.set_exchange_time_ns(md_time_ns_);
  REQUIRE(md_->Publish(bus::InstrumentTopic("md", "quote", q.instrument()), q).ok());
}

void ExecutionHarness::Pump() {
  while (sub_->Poll() > 0) {
  }
}

std::vector<std::string> ExecutionHarness::TopicsFor(const std::string& client_order_id) const {
  std::vector<std::string> out;
  for (const auto& [id, topic] : report_topics_) {
    if (id == client_order_id) out.push_back(topic);
  }
  return out;
}

std::string ExecutionHarness::Query(const std::string& sql) {
  absl::StatusOr<std::string> rows = RunSql(conninfo_, sql);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  return *rows;
}

std::string ExecutionHarness::Log() const {
  std::string log = ReadFile(dir_.File("exec.log"));
  return log.size() > 8000 ? log.substr(log.size() - 8000) : log;
}

}  // namespace tradeplane::testing
