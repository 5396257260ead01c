#include "sentinel_fixture.h"

#include <csignal>

#include <catch2/catch.hpp>

#include "tradeplane/bus/topic.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::sentinel_test {
namespace {

namespace ov1 = orders::v1;
using testing::ReadFile;
using testing::WaitUntil;
using testing::WriteFile;

constexpr char kRiskOpsToken[] = "ops:fedcba9876543210fedcba98";
constexpr char kRiskSentinelToken[] = "sentinel:00112233445566778899aabb";
constexpr char kApprovalKeyHex[] =
    "8c2f4e1a9b7d6c5e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e";

// Risk needs limits to start; nothing is traded through it here.
constexpr char kRiskLimits[] =
    "limits:\n"
    "  valuation_currency: USDT\n"
    "  conversion_rates: {USDT: '1'}\n"
    "  starting_equity: '1000000'\n"
    "  max_gross_exposure: '1000000'\n"
    "  max_net_exposure: '1000000'\n"
    "  max_open_orders: 100\n"
    "  instruments:\n"
    "    - {instrument: {venue: SIM, symbol: NKNUSDT}, enabled: true, tick_size: '0.0001',\n"
    "       lot_size: '0.1', min_qty: '0.1', max_qty: '100000', max_notional: '50000',\n"
    "       collar_bps: 100, reference_price: MID, max_position: '100000', max_concentration: 1,\n"
    "       max_orders_per_second: 100, order_burst: 100, max_cancels_per_second: 100,\n"
    "       stale_after_ms: 60000, quote_currency: USDT}\n"
    "  strategies:\n"
    "    - {strategy_id: spoofer, enabled: true, max_open_orders: 50,\n"
    "       max_orders_per_second: 100, order_burst: 100}\n";

int64_t Raw(const std::string& decimal) {
  absl::StatusOr<int64_t> raw = fixed_point::ParseRaw(decimal);
  REQUIRE(raw.ok());
  return *raw;
}

common::v1::InstrumentId Nknusdt() {
  common::v1::InstrumentId id;
  id.set_venue(common::v1::VENUE_SIM);
  id.set_symbol("NKNUSDT");
  return id;
}

admin::AdminClientOptions Options(int port, const std::string& token) {
  return {.target = StrCat("127.0.0.1:", port), .token = token, .timeout_ms = 20000};
}

bool AdminReady(int port, const std::string& token) {
  admin::AdminClientOptions o = Options(port, token);
  o.timeout_ms = 2000;
  return admin::ServiceSaysReady(o);
}

std::unique_ptr<testing::Subprocess> StartService(const std::string& binary,
                                                  const std::string& config,
                                                  const std::string& output, int admin_port,
                                                  const std::string& token,
                                                  const std::string& log_file) {
  testing::Subprocess::Options options;
  options.output_file = output;
  auto p = testing::Subprocess::Start({testing::BinaryPath(binary), "--config", config}, options);
  REQUIRE(p.ok());
  std::unique_ptr<testing::Subprocess> process = std::move(*p);
  bool ready = WaitUntil([&] { return !process->Running() || AdminReady(admin_port, token); },
                         std::chrono::seconds(60));
  INFO(ReadFile(output) << ReadFile(log_file));
  REQUIRE(ready);
  REQUIRE(process->Running());
  return process;
}

void Stop(std::unique_ptr<testing::Subprocess>& process) {
  if (process == nullptr) return;
  process->Signal(SIGKILL);
  process->Wait(std::chrono::seconds(10));
  process.reset();
}

std::string Tail(const std::string& text) {
  return text.size() > 8000 ? text.substr(text.size() - 8000) : text;
}

}  // namespace

RiskProcess::RiskProcess() : admin_port_(testing::FreeTcpPort()) {
  absl::StatusOr<std::string> conninfo = testing::PgCluster::Shared().CreateDatabase();
  REQUIRE(conninfo.ok());
  conninfo_ = *conninfo;
  WriteFile(dir_.File("approval.key"), std::string(kApprovalKeyHex) + "\n");
  WriteFile(dir_.File("tokens"), StrCat(kRiskOpsToken, "\n", kRiskSentinelToken, "\n"));
  WriteFile(sentinel_token_file(), StrCat(kRiskSentinelToken, "\n"));
  WriteFile(
      dir_.File("risk.yaml"),
      StrCat("common:\n  admin: {port: ", admin_port_,
             ", token_file: tokens}\n  telemetry: {metrics_port: -1, log_file: risk.log}\n"
             "  store: {conninfo: '",
             conninfo_, "', pool_size: 2, connect_timeout_ms: 2000}\n", "intents: {endpoint: '",
             dir_.Ipc("intents"), "'}\n", "publisher: {endpoint: '", dir_.Ipc("risk"), "'}\n",
             "execution:\n  socket: {endpoint: '", dir_.Ipc("orders"),
             "'}\n  timeout_ms: 5000\n  retries: 1\n", "subscriptions:\n  - {endpoint: '",
             dir_.Ipc("md"), "'}\n", "approval_key_file: approval.key\n", kRiskLimits));
  process_ = StartService("tradeplane-risk", dir_.File("risk.yaml"), dir_.File("risk.out"),
                          admin_port_, kRiskOpsToken, dir_.File("risk.log"));
}

RiskProcess::~RiskProcess() { Stop(process_); }

std::string RiskProcess::target() const { return StrCat("127.0.0.1:", admin_port_); }

admin::v1::ModeState RiskProcess::GetMode() {
  admin::AdminClientOptions o = Options(admin_port_, kRiskOpsToken);
  auto channel = admin::MakeAdminChannel(o);
  REQUIRE(channel.ok());
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, o);
  admin::v1::ModeState out;
  grpc::Status s =
      admin::v1::RiskAdmin::NewStub(*channel)->GetMode(&ctx, admin::v1::GetModeRequest(), &out);
  INFO(s.error_message());
  REQUIRE(s.ok());
  return out;
}

std::string RiskProcess::Query(const std::string& sql) {
  absl::StatusOr<std::string> rows = testing::RunSql(conninfo_, sql);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  return *rows;
}

std::string RiskProcess::Log() const { return Tail(ReadFile(dir_.File("risk.log"))); }

SentinelWorld::SentinelWorld(SentinelOptions options)
    : options_(std::move(options)), admin_port_(testing::FreeTcpPort()) {
  if (options_.conninfo.empty()) {
    absl::StatusOr<std::string> conninfo = testing::PgCluster::Shared().CreateDatabase();
    REQUIRE(conninfo.ok());
    conninfo_ = *conninfo;
  } else {
    conninfo_ = options_.conninfo;
  }
  WriteFile(dir_.File("tokens"), StrCat(kComplianceToken, "\n"));
  WriteFile(dir_.File("token"), StrCat(kComplianceToken, "\n"));
  WriteFile(dir_.File("wrong-token"), "compliance:not-the-right-secret-at-all\n");
  std::string risk_target = options_.risk_target.empty()
                                ? StrCat("127.0.0.1:", testing::FreeTcpPort())
                                : options_.risk_target;
  WriteFile(
      dir_.File("sentinel.yaml"),
      StrCat("common:\n  admin: {port: ", admin_port_,
             ", token_file: tokens}\n  telemetry: {metrics_port: -1, log_file: sentinel.log}\n"
             "  store: {conninfo: '",
             conninfo_, "'}\n", "subscriptions: [{endpoint: '", dir_.Ipc("feed"), "'}]\n",
             "publisher: {endpoint: '", dir_.Ipc("alerts"), "'}\n",
             "instruments:\n"
             "  - {id: {venue: SIM, symbol: NKNUSDT}, tick_size: '0.0001', lot_size: '0.1'}\n",
             "beneficial_owners: {trend: desk-a, quoting: desk-a}\n",
             "block_on_critical: ", options_.block_on_critical ? "true" : "false", "\n",
             "risk_admin_target: '", risk_target, "'\n",
             options_.risk_token_file.empty()
                 ? std::string()
                 : StrCat("risk_admin_token_file: '", options_.risk_token_file, "'\n")));
  bus_ = std::make_unique<bus::BusContext>(bus::BusIdentity{"execution", 0, 0},
                                           config::v1::BusConfig(), nullptr);
  config::v1::SocketConfig feed;
  feed.set_endpoint(dir_.Ipc("feed"));
  auto p = bus::Publisher::Create(*bus_, feed, "feed");
  REQUIRE(p.ok());
  feed_ = std::move(*p);
  process_ =
      StartService("tradeplane-sentinel", dir_.File("sentinel.yaml"), dir_.File("sentinel.out"),
                   admin_port_, kComplianceToken, dir_.File("sentinel.log"));
}

SentinelWorld::~SentinelWorld() {
  Stop(process_);
  feed_.reset();
  bus_.reset();
}

std::string SentinelWorld::Log() const {
  return Tail(ReadFile(dir_.File("sentinel.out")) + ReadFile(dir_.File("sentinel.log")));
}

admin::AdminClientOptions SentinelWorld::AdminOptions(const std::string& token) const {
  return Options(admin_port_, token);
}

std::unique_ptr<admin::v1::SentinelAdmin::Stub> SentinelWorld::Admin() {
  auto channel = admin::MakeAdminChannel(AdminOptions());
  REQUIRE(channel.ok());
  return admin::v1::SentinelAdmin::NewStub(*channel);
}

admin::v1::ServiceStatus SentinelWorld::Status() {
  admin::AdminClientOptions o = AdminOptions();
  auto channel = admin::MakeAdminChannel(o);
  REQUIRE(channel.ok());
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, o);
  admin::v1::ServiceStatus status;
  grpc::Status s =
      admin::v1::Admin::NewStub(*channel)->GetStatus(&ctx, admin::v1::GetStatusRequest(), &status);
  INFO(s.error_message());
  REQUIRE(s.ok());
  return status;
}

double SentinelWorld::Counter(const std::string& name) {
  admin::v1::ServiceStatus status = Status();
  for (const admin::v1::Counter& c : status.counters()) {
    if (c.name() == name) return c.value();
  }
  FAIL("sentinel's status has no counter '" << name << "'");
  return 0;
}

void SentinelWorld::Sync() {
  INFO(Log());
  // Migrated and reachable, so that alerts are stored as they are raised.
  REQUIRE(WaitUntil(
      [&] {
        admin::v1::ServiceStatus status = Status();
        auto it = status.details().find("database");
        return it != status.details().end() && it->second == "up";
      },
      std::chrono::seconds(30)));
  REQUIRE(WaitUntil(
      [&] {
        PublishBook(kT0 - 60 * kSecond);
        return Counter("events") > 0;
      },
      std::chrono::seconds(30)));
  // Some of those books may still be on their way. A fill of an instrument
  // sentinel does not know is counted as skipped: once this last message is
  // counted, everything published before it has been fed.
  double skipped = Counter("skipped_inputs");
  ov1::Fill marker;
  marker.set_fill_id("sync");
  marker.mutable_instrument()->set_venue(common::v1::VENUE_SIM);
  marker.mutable_instrument()->set_symbol("NOTCONFIGURED");
  marker.set_side(common::v1::SIDE_BUY);
  marker.set_price(Raw("1"));
  marker.set_qty(Raw("1"));
  marker.set_exchange_time_ns(kT0 - 60 * kSecond);
  PublishRaw(bus::InstrumentTopic("exec", "fill", marker.instrument()), marker);
  REQUIRE(WaitUntil([&] { return Counter("skipped_inputs") > skipped; }, std::chrono::seconds(30)));
  Mark();
}

void SentinelWorld::Mark() { mark_ = static_cast<int64_t>(Counter("events")); }

void SentinelWorld::WaitEvents(int64_t n) {
  int64_t want = mark_ + n;
  double seen = 0;
  bool reached = WaitUntil(
      [&] {
        seen = Counter("events");
        return static_cast<int64_t>(seen) >= want;
      },
      std::chrono::seconds(30));
  INFO("events " << seen << ", waiting for " << want << "\n" << Log());
  REQUIRE(reached);
  REQUIRE(static_cast<int64_t>(seen) == want);
  mark_ = want;
}

void SentinelWorld::PublishRaw(const std::string& topic, const google::protobuf::Message& m) {
  REQUIRE(feed_->Publish(topic, m).ok());
}

void SentinelWorld::PublishBook(int64_t time_ns) {
  marketdata::v1::BookSnapshot b;
  *b.mutable_instrument() = Nknusdt();
  marketdata::v1::BookLevel* bid = b.add_bids();
  bid->set_price(Raw("0.35"));
  bid->set_qty(Raw("100"));
  marketdata::v1::BookLevel* ask = b.add_asks();
  ask->set_price(Raw("0.351"));
  ask->set_qty(Raw("100"));
  b.set_book_sequence(++book_sequence_);
  b.set_exchange_time_ns(time_ns);
  PublishRaw(bus::InstrumentTopic("md", "book", b.instrument()), b);
}

void SentinelWorld::PublishFill(const std::string& fill_id, const std::string& strategy,
                                common::v1::Side side, ov1::Liquidity liquidity,
                                const std::string& price, const std::string& qty, int64_t time_ns) {
  ov1::Fill f;
  f.set_fill_id(fill_id);
  f.set_client_order_id("order-" + fill_id);
  f.set_strategy_id(strategy);
  *f.mutable_instrument() = Nknusdt();
  f.set_side(side);
  f.set_price(Raw(price));
  f.set_qty(Raw(qty));
  f.set_liquidity(liquidity);
  f.set_exchange_time_ns(time_ns);
  PublishRaw(bus::InstrumentTopic("exec", "fill", f.instrument()), f);
}

namespace {

ov1::ExecutionReport Report(const std::string& client_order_id, const std::string& strategy,
                            common::v1::Side side, int64_t price, int64_t qty, int64_t time_ns,
                            ov1::OrderStatus previous, ov1::OrderStatus status) {
  ov1::ExecutionReport r;
  ov1::Order* o = r.mutable_order();
  o->set_client_order_id(client_order_id);
  o->set_strategy_id(strategy);
  *o->mutable_instrument() = Nknusdt();
  o->set_side(side);
  o->set_order_type(ov1::ORDER_TYPE_LIMIT_MAKER);
  o->set_time_in_force(ov1::TIME_IN_FORCE_GTC);
  o->set_price(price);
  o->set_qty(qty);
  o->set_status(status);
  o->set_created_ns(time_ns);
  o->set_updated_ns(time_ns);
  r.set_previous_status(previous);
  return r;
}

}  // namespace

void SentinelWorld::PublishSubmit(const std::string& client_order_id, const std::string& strategy,
                                  common::v1::Side side, const std::string& price,
                                  const std::string& qty, int64_t time_ns) {
  PublishRaw("exec.order.NEW",
             Report(client_order_id, strategy, side, Raw(price), Raw(qty), time_ns,
                    ov1::ORDER_STATUS_PENDING_NEW, ov1::ORDER_STATUS_NEW));
}

void SentinelWorld::PublishCancel(const std::string& client_order_id, const std::string& strategy,
                                  common::v1::Side side, const std::string& price,
                                  const std::string& qty, int64_t time_ns) {
  PublishRaw("exec.order.CANCELED",
             Report(client_order_id, strategy, side, Raw(price), Raw(qty), time_ns,
                    ov1::ORDER_STATUS_NEW, ov1::ORDER_STATUS_CANCELED));
}

void SentinelWorld::WashPattern(const std::string& tag, int64_t time_ns) {
  PublishFill("wash-sell-" + tag, "quoting", common::v1::SIDE_SELL, ov1::LIQUIDITY_MAKER, "0.3513",
              "100", time_ns);
  PublishFill("wash-buy-" + tag, "trend", common::v1::SIDE_BUY, ov1::LIQUIDITY_TAKER, "0.3513",
              "100", time_ns + 2'000'000);
}

void SentinelWorld::SpoofPattern(const std::string& tag, int64_t time_ns) {
  PublishBook(time_ns);
  PublishSubmit("spoof-" + tag, "spoofer", common::v1::SIDE_SELL, "0.3512", "2000",
                time_ns + 100'000'000);
  PublishFill("spoof-buy-" + tag, "spoofer", common::v1::SIDE_BUY, ov1::LIQUIDITY_MAKER, "0.35",
              "100", time_ns + 300'000'000);
  PublishCancel("spoof-" + tag, "spoofer", common::v1::SIDE_SELL, "0.3512", "2000",
                time_ns + 600'000'000);
}

testing::CommandResult SentinelWorld::Tradectl(std::vector<std::string> args,
                                               const std::string& token_file) {
  std::vector<std::string> argv = {testing::BinaryPath("tradectl"), "--target",
                                   StrCat("127.0.0.1:", admin_port_), "--token-file",
                                   token_file.empty() ? dir_.File("token") : token_file};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = testing::RunCommand(argv);
  REQUIRE(r.ok());
  return *r;
}

std::string SentinelWorld::Query(const std::string& sql) {
  absl::StatusOr<std::string> rows = testing::RunSql(conninfo_, sql);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  return *rows;
}

}  // namespace tradeplane::sentinel_test
