#include "risk_fixture.h"

#include <csignal>

#include <catch2/catch.hpp>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/bus/topic.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::risk_test {
namespace {

namespace ov1 = orders::v1;
namespace rv1 = risk::v1;
using testing::ReadFile;
using testing::WaitUntil;
using testing::WriteFile;

constexpr char kAdminToken[] = "ops:0123456789abcdef0123";
constexpr char kApprovalKeyHex[] =
    "8c2f4e1a9b7d6c5e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e";

// BTCUSDT around 30000: collar 100 bps (about 300 either side of the mid),
// at most 50000 USDT per order, stale after 60 s. Breakers that would act on
// their own (loss, drawdown, reject rate, stale data) are off.
constexpr char kLimits[] =
    "limits:\n"
    "  valuation_currency: USDT\n"
    "  conversion_rates: {USDT: '1'}\n"
    "  starting_equity: '1000000'\n"
    "  max_gross_exposure: '1000000'\n"
    "  max_net_exposure: '1000000'\n"
    "  max_open_orders: 100\n"
    "  instruments:\n"
    "    - {instrument: {venue: BINANCE, symbol: BTCUSDT}, enabled: true, tick_size: '0.01',\n"
    "       lot_size: '0.001', min_qty: '0.001', max_qty: '10', max_notional: '50000',\n"
    "       collar_bps: 100, reference_price: MID, max_position: '5', max_concentration: 1,\n"
    "       max_orders_per_second: 100, order_burst: 100, max_cancels_per_second: 100,\n"
    "       stale_after_ms: 60000, quote_currency: USDT}\n"
    "  strategies:\n"
    "    - {strategy_id: test-strat, enabled: true, max_open_orders: 50,\n"
    "       max_orders_per_second: 100, order_burst: 100}\n";

common::v1::InstrumentId BtcUsdt() {
  common::v1::InstrumentId id;
  id.set_venue(common::v1::VENUE_BINANCE);
  id.set_symbol("BTCUSDT");
  return id;
}

admin::AdminClientOptions AdminOptions(int port) {
  return {.target = "127.0.0.1:" + std::to_string(port), .token = kAdminToken, .timeout_ms = 20000};
}

bool AdminReady(int port) {
  admin::AdminClientOptions o = AdminOptions(port);
  o.timeout_ms = 2000;
  return admin::ServiceSaysReady(o);
}

}  // namespace

int64_t Raw(const std::string& decimal) {
  absl::StatusOr<int64_t> raw = fixed_point::ParseRaw(decimal);
  REQUIRE(raw.ok());
  return *raw;
}

FakeExecution::FakeExecution(const std::string& endpoint, const std::string& approval_key_hex) {
  absl::StatusOr<ApprovalKey> key = ApprovalKey::FromHex(approval_key_hex);
  REQUIRE(key.ok());
  key_ = std::make_unique<ApprovalKey>(std::move(*key));
  bus_ = std::make_unique<bus::BusContext>(bus::BusIdentity{"execution", 0, 0},
                                           config::v1::BusConfig(), nullptr);
  config::v1::SocketConfig socket;
  socket.set_endpoint(endpoint);
  auto server = bus::ReplyServer::Create(*bus_, socket, "orders");
  REQUIRE(server.ok());
  server_ = std::move(*server);
  server_->Handle<ov1::ExecutionRequest, ov1::ExecutionReply>(
      [this](const ov1::ExecutionRequest& request, const bus::RequestContext&,
             ov1::ExecutionReply* reply) { return OnRequest(request, reply); });
  // The socket is handed to the thread here and used only there from now on.
  thread_ = std::thread([this] { Loop(); });
}

FakeExecution::~FakeExecution() {
  stop_.store(true);
  Release();
  thread_.join();
  server_.reset();
}

void FakeExecution::Loop() {
  while (!stop_.load()) {
    if (server_->WaitReadable(std::chrono::milliseconds(50))) server_->Poll();
    duplicates_.store(server_->stats().duplicate_requests());
  }
}

absl::Status FakeExecution::OnRequest(const ov1::ExecutionRequest& request,
                                      ov1::ExecutionReply* reply) {
  std::unique_lock<std::mutex> lock(mu_);
  if (request.has_new_order()) {
    const ov1::NewOrder& o = request.new_order();
    if (!key_->Verify(o, SystemClock::Instance().Now(), std::chrono::seconds(60)).ok()) {
      ++bad_approvals_;
      reply->set_refusal(ov1::EXECUTION_REFUSAL_NOT_APPROVED);
      reply->set_reason("approval does not verify");
      return absl::OkStatus();
    }
    orders_.push_back(o);
    reply->set_accepted(true);
    reply->mutable_order()->set_client_order_id(o.client_order_id());
    reply->mutable_order()->set_status(ov1::ORDER_STATUS_NEW);
    return absl::OkStatus();
  }
  if (request.has_cancel()) {
    cancels_.push_back(request.cancel());
    reply->set_accepted(true);
    reply->mutable_order()->set_client_order_id(request.cancel().client_order_id());
    reply->mutable_order()->set_status(ov1::ORDER_STATUS_CANCELED);
    return absl::OkStatus();
  }
  if (request.has_cancel_all()) {
    cancel_alls_.push_back(request.cancel_all());
    waiting_ = true;
    cv_.wait(lock, [&] { return !hold_ || stop_.load(); });
    waiting_ = false;
    reply->set_accepted(true);
    reply->set_orders_canceled(static_cast<uint32_t>(orders_.size()));
    return absl::OkStatus();
  }
  reply->set_refusal(ov1::EXECUTION_REFUSAL_INVALID_ORDER);
  reply->set_reason("the fake execution takes new orders, cancels and cancel-alls only");
  return absl::OkStatus();
}

std::vector<ov1::NewOrder> FakeExecution::orders() const {
  std::lock_guard<std::mutex> lock(mu_);
  return orders_;
}

size_t FakeExecution::OrdersFor(const std::string& client_order_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const ov1::NewOrder& o : orders_) n += o.client_order_id() == client_order_id ? 1 : 0;
  return n;
}

std::vector<ov1::CancelOrder> FakeExecution::cancels() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancels_;
}

std::vector<ov1::CancelAll> FakeExecution::cancel_alls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancel_alls_;
}

size_t FakeExecution::bad_approvals() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bad_approvals_;
}

void FakeExecution::HoldCancelAll() {
  std::lock_guard<std::mutex> lock(mu_);
  hold_ = true;
}

bool FakeExecution::cancel_all_waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_;
}

void FakeExecution::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = false;
  }
  cv_.notify_all();
}

RiskWorld::RiskWorld(RiskOptions options) : options_(options), admin_port_(testing::FreeTcpPort()) {
  if (options_.database_reachable) {
    absl::StatusOr<std::string> conninfo = testing::PgCluster::Shared().CreateDatabase();
    REQUIRE(conninfo.ok());
    conninfo_ = *conninfo;
  } else {
    // A socket directory with no server in it: every connection fails at once.
    conninfo_ = "host=" + dir_.File("no-server") + " dbname=tradeplane user=tradeplane";
  }
  WriteFile(dir_.File("approval.key"), std::string(kApprovalKeyHex) + "\n");
  WriteFile(dir_.File("tokens"), std::string(kAdminToken) + "\n");
  WriteConfig();
  execution_ = std::make_unique<FakeExecution>(dir_.Ipc("orders"), kApprovalKeyHex);

  bus_ = std::make_unique<bus::BusContext>(bus::BusIdentity{"signal", 0, 0},
                                           config::v1::BusConfig(), nullptr);
  config::v1::ClientConfig client;
  client.mutable_socket()->set_endpoint(dir_.Ipc("intents"));
  client.set_timeout_ms(15000);
  client.set_retries(0);
  auto c = bus::RequestClient::Create(*bus_, client, "intents");
  REQUIRE(c.ok());
  intents_ = std::move(*c);
  config::v1::SocketConfig md;
  md.set_endpoint(dir_.Ipc("md"));
  auto p = bus::Publisher::Create(*bus_, md, "md");
  REQUIRE(p.ok());
  md_ = std::move(*p);
  config::v1::SocketConfig exec;
  exec.set_endpoint(dir_.Ipc("exec"));
  p = bus::Publisher::Create(*bus_, exec, "exec");
  REQUIRE(p.ok());
  exec_ = std::move(*p);
}

RiskWorld::~RiskWorld() {
  Kill();
  intents_.reset();
  md_.reset();
  exec_.reset();
  execution_.reset();
}

void RiskWorld::WriteConfig() {
  WriteFile(dir_.File("risk.yaml"),
            StrCat("common:\n  admin: {port: ", admin_port_,
                   ", token_file: tokens}\n  telemetry: {metrics_port: -1, log_file: risk.log}\n"
                   "  store: {conninfo: '",
                   conninfo_, "', pool_size: 2, connect_timeout_ms: 2000}\n",
                   "intents: {endpoint: '", dir_.Ipc("intents"), "'}\n", "publisher: {endpoint: '",
                   dir_.Ipc("risk"), "'}\n", "execution:\n  socket: {endpoint: '",
                   dir_.Ipc("orders"), "'}\n  timeout_ms: 5000\n  retries: 1\n",
                   "subscriptions:\n  - {endpoint: '", dir_.Ipc("md"), "'}\n  - {endpoint: '",
                   dir_.Ipc("exec"), "'}\n", "approval_key_file: approval.key\n", kLimits));
}

void RiskWorld::Start() {
  Kill();
  testing::Subprocess::Options options;
  options.output_file = dir_.File("risk.out");
  auto p = testing::Subprocess::Start(
      {testing::BinaryPath("tradeplane-risk"), "--config", dir_.File("risk.yaml")}, options);
  REQUIRE(p.ok());
  process_ = std::move(*p);
  bool ready = WaitUntil([&] { return !process_->Running() || AdminReady(admin_port_); },
                         std::chrono::seconds(30));
  INFO(ReadFile(dir_.File("risk.out")) << Log());
  REQUIRE(ready);
  REQUIRE(process_->Running());
}

void RiskWorld::Kill() {
  if (process_ == nullptr) return;
  process_->Signal(SIGKILL);
  process_->Wait(std::chrono::seconds(10));
  process_.reset();
}

std::string RiskWorld::Log() const {
  std::string log = ReadFile(dir_.File("risk.log"));
  return log.size() > 8000 ? log.substr(log.size() - 8000) : log;
}

signal::v1::OrderIntent RiskWorld::Intent(const std::string& id, common::v1::Side side,
                                          const std::string& qty, const std::string& price) const {
  signal::v1::OrderIntent i;
  i.set_intent_id("intent-" + id);
  i.set_client_order_id(id);
  i.set_strategy_id(kStrategy);
  *i.mutable_instrument() = BtcUsdt();
  i.set_side(side);
  i.set_order_type(ov1::ORDER_TYPE_LIMIT);
  i.set_time_in_force(ov1::TIME_IN_FORCE_GTC);
  i.set_qty(Raw(qty));
  i.set_price(Raw(price));
  i.set_reason("integration test");
  i.set_created_ns(SystemClock::Instance().Now().nanos());
  return i;
}

absl::StatusOr<rv1::RiskDecision> RiskWorld::Send(const signal::v1::OrderIntent& intent) {
  rv1::RiskDecision decision;
  // A fresh request id each time: a repeated intent must be recognised by
  // risk itself, not by the bus's reply cache.
  absl::Status s = intents_->Call(intent, &decision);
  if (!s.ok()) return s;
  return decision;
}

void RiskWorld::PublishMarket(const std::string& bid, const std::string& ask) {
  int64_t now = SystemClock::Instance().Now().nanos();
  marketdata::v1::Quote q;
  *q.mutable_instrument() = BtcUsdt();
  q.set_bid_price(Raw(bid));
  q.set_bid_qty(Raw("5"));
  q.set_ask_price(Raw(ask));
  q.set_ask_qty(Raw("5"));
  q.set_exchange_time_ns(now);
  REQUIRE(md_->Publish(bus::InstrumentTopic("md", "quote", q.instrument()), q).ok());
  marketdata::v1::BookSnapshot b;
  *b.mutable_instrument() = BtcUsdt();
  b.add_bids()->set_price(q.bid_price());
  b.mutable_bids(0)->set_qty(q.bid_qty());
  b.add_asks()->set_price(q.ask_price());
  b.mutable_asks(0)->set_qty(q.ask_qty());
  b.set_book_sequence(++book_seq_);
  b.set_exchange_time_ns(now);
  REQUIRE(md_->Publish(bus::InstrumentTopic("md", "book", b.instrument()), b).ok());
}

void RiskWorld::PublishStatus(marketdata::v1::FeedStatus status) {
  marketdata::v1::MarketStatus s;
  *s.mutable_instrument() = BtcUsdt();
  s.set_status(status);
  s.set_reason("test");
  REQUIRE(md_->Publish(bus::InstrumentTopic("md", "status", s.instrument()), s).ok());
}

void RiskWorld::WaitMarketData(const std::string& bid, const std::string& ask) {
  rv1::RiskDecision last;
  bool seen = WaitUntil(
      [&] {
        PublishMarket(bid, ask);
        // Far outside the collar: refused for it once the market is known,
        // never forwarded.
        absl::StatusOr<rv1::RiskDecision> d =
            Send(Intent(StrCat("md-probe-", ++probe_seq_), common::v1::SIDE_BUY, "0.001", "1000"));
        if (!d.ok()) return false;
        last = *d;
        return d->code() == rv1::REFUSAL_CODE_PRICE_COLLAR;
      },
      std::chrono::seconds(20));
  INFO(last.DebugString() << Log());
  REQUIRE(seen);
}

void RiskWorld::PublishFill(const ov1::Fill& fill) {
  REQUIRE(exec_->Publish(bus::InstrumentTopic("exec", "fill", fill.instrument()), fill).ok());
}

std::unique_ptr<admin::v1::RiskAdmin::Stub> RiskWorld::Admin() {
  auto channel = admin::MakeAdminChannel(AdminOptions(admin_port_));
  REQUIRE(channel.ok());
  return admin::v1::RiskAdmin::NewStub(*channel);
}

void RiskWorld::Prepare(grpc::ClientContext* context) const {
  admin::PrepareContext(context, AdminOptions(admin_port_));
}

admin::v1::ModeState RiskWorld::GetMode() {
  grpc::ClientContext ctx;
  Prepare(&ctx);
  admin::v1::ModeState out;
  grpc::Status s = Admin()->GetMode(&ctx, admin::v1::GetModeRequest(), &out);
  INFO(s.error_message());
  REQUIRE(s.ok());
  return out;
}

grpc::Status RiskWorld::SetMode(rv1::TradingMode mode, const std::string& reason) {
  grpc::ClientContext ctx;
  Prepare(&ctx);
  admin::v1::SetModeRequest req;
  req.set_mode(mode);
  req.set_reason(reason);
  admin::v1::ModeState out;
  return Admin()->SetMode(&ctx, req, &out);
}

void RiskWorld::Activate() {
  grpc::Status s = SetMode(rv1::TRADING_MODE_ACTIVE, "integration test starts trading");
  INFO(s.error_message() << Log());
  REQUIRE(s.ok());
  WaitMarketData();
  REQUIRE(GetMode().mode() == rv1::TRADING_MODE_ACTIVE);
}

std::string RiskWorld::Query(const std::string& sql) {
  absl::StatusOr<std::string> rows = testing::RunSql(conninfo_, sql);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  return *rows;
}

}  // namespace tradeplane::risk_test
