// tradectl: one CLI for the whole suite's admin plane (gRPC).
//
//   tradectl [--target HOST:PORT | --service NAME] [--token-file F] [-o table|json|yaml]
//            COMMAND [ARGS] [FLAGS]
//
// Each command goes to the service that owns it, on the port plan's admin
// port (docs/ports.md) at --host (default 127.0.0.1), unless --target says
// otherwise. Exit codes: 0 done, 1 refused by the service, 2 usage error,
// 3 unreachable, 4 not authenticated. docs/reference/tradectl.md lists it all.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/admin_server.h"
#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/core/command_line.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/surveillance/alert_report.h"

#include "grpc/health/v1/health.grpc.pb.h"
#include "output.h"

namespace tradeplane::tradectl {
namespace {

namespace av1 = admin::v1;

const std::vector<FlagDef> kFlags = {
    {.name = "target", .value_name = "HOST:PORT", .help = "send to this admin server"},
    {.name = "service",
     .value_name = "NAME",
     .help = "send to this service's admin port (market-data, signal, risk, execution, "
             "signer, sentinel, reconciler, venue-sim)"},
    {.name = "host", .value_name = "HOST", .help = "where the services run (default 127.0.0.1)"},
    {.name = "instance", .value_name = "N", .help = "the service instance (default 0)"},
    {.name = "token-file", .value_name = "FILE", .help = "the admin token (name:secret)"},
    {.name = "ca-file", .value_name = "FILE", .help = "CA of the admin servers' TLS certificates"},
    {.name = "cert-file", .value_name = "FILE", .help = "client certificate (mTLS)"},
    {.name = "key-file", .value_name = "FILE", .help = "client key (mTLS)"},
    {.name = "output", .short_name = "o", .value_name = "FORMAT", .help = "table, json or yaml"},
    {.name = "timeout-ms", .value_name = "MS", .help = "per call (default 5000)"},
    {.name = "reason", .value_name = "TEXT", .help = "why (required for changes; audited)"},
    {.name = "all", .takes_value = false, .help = "status: every service; cancel: every order"},
    {.name = "open", .takes_value = false, .help = "only open orders / breaks"},
    {.name = "depth", .value_name = "N", .help = "book levels per side"},
    {.name = "flatten", .takes_value = false, .help = "kill: also flatten positions"},
    {.name = "by-strategy", .takes_value = false, .help = "positions per strategy"},
    {.name = "date", .value_name = "YYYY-MM-DD", .help = "report date (UTC)"},
    {.name = "file", .short_name = "f", .value_name = "FILE", .help = "limits YAML"},
    {.name = "since", .value_name = "TIME", .help = "RFC 3339 time"},
    {.name = "type", .value_name = "TYPE", .help = "alert type"},
    {.name = "note", .value_name = "TEXT", .help = "acknowledgement note"},
    {.name = "format", .value_name = "FORMAT", .help = "alerts export: csv (default) or json"},
    {.name = "tail", .value_name = "N", .help = "last N records"},
    {.name = "limit", .value_name = "N", .help = "at most N rows"},
    {.name = "help", .short_name = "h", .takes_value = false, .help = "show help"},
};

enum ExitCode { kOk = 0, kRefused = 1, kUsage = 2, kUnreachable = 3, kUnauthenticated = 4 };

struct Invocation {
  const CommandLine* cl;
  std::vector<std::string> args;  // the words after the command's own words
  OutputFormat format;
  admin::AdminClientOptions client;
  std::string service;  // whose admin port
};

struct Command {
  std::vector<std::string> words;
  std::string service;  // default owner
  std::string usage;
  std::string help;
  std::function<int(Invocation&)> run;
};

[[noreturn]] void Usage(std::string_view message) {
  std::fprintf(stderr, "tradectl: %.*s (see tradectl --help)\n", static_cast<int>(message.size()),
               message.data());
  std::exit(kUsage);
}

int ExitFor(const grpc::Status& s, const Invocation& inv) {
  std::string who =
      StrCat(inv.service.empty() ? "service" : inv.service, " (", inv.client.target, ")");
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      std::fprintf(stderr, "tradectl: %s is unreachable: %s\n", who.c_str(),
                   s.error_message().c_str());
      return kUnreachable;
    case grpc::StatusCode::UNAUTHENTICATED:
      std::fprintf(stderr, "tradectl: %s: not authenticated: %s\n", who.c_str(),
                   s.error_message().c_str());
      return kUnauthenticated;
    case grpc::StatusCode::UNIMPLEMENTED:
      std::fprintf(stderr, "tradectl: %s does not serve this command: %s\n", who.c_str(),
                   s.error_message().c_str());
      return kRefused;
    default:
      std::fprintf(
          stderr, "tradectl: %s refused: %s: %s\n", who.c_str(),
          std::string(absl::StatusCodeToString(static_cast<absl::StatusCode>(s.error_code())))
              .c_str(),
          s.error_message().c_str());
      return kRefused;
  }
}

std::string RequireReason(const Invocation& inv) {
  std::string reason = inv.cl->Get("reason");
  if (reason.empty())
    Usage("this command changes state: --reason TEXT is required (it is audited)");
  return reason;
}

// Calls one unary RPC and prints the reply.
template <typename Stub, typename Request, typename Reply>
int Call(Invocation& inv,
         grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
         std::unique_ptr<Stub> (*new_stub)(const std::shared_ptr<grpc::ChannelInterface>&,
                                           const grpc::StubOptions&),
         const Request& request) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = admin::MakeAdminChannel(inv.client);
  if (!channel.ok()) Usage(ToStd(channel.status().message()));
  std::unique_ptr<Stub> stub = new_stub(*channel, grpc::StubOptions());
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, inv.client);
  Reply reply;
  grpc::Status s = ((*stub).*method)(&ctx, request, &reply);
  if (!s.ok()) return ExitFor(s, inv);
  std::fputs(Render(reply, inv.format).c_str(), stdout);
  return kOk;
}

#define TP_CALL(Service, Method, request) \
  Call<av1::Service::Stub>(inv, &av1::Service::Stub::Method, &av1::Service::NewStub, request)

// The filters `alerts` and `alerts export` share.
av1::ListAlertsRequest AlertsRequest(const Invocation& inv) {
  av1::ListAlertsRequest r;
  if (inv.cl->Has("since")) {
    absl::StatusOr<Timestamp> t = ParseRfc3339(inv.cl->Get("since"));
    if (!t.ok()) Usage(ToStd(t.status().message()));
    r.set_since_ns(t->nanos());
  }
  if (inv.cl->Has("type")) {
    surveillance::v1::AlertType t;
    if (!ParseEnum(inv.cl->Get("type"), &t)) {
      Usage(StrCat("unknown alert type (", EnumChoices(*surveillance::v1::AlertType_descriptor()),
                   ")"));
    }
    r.set_type(t);
  }
  return r;
}

// Stored alerts as CSV or JSON (the layouts of surveillance/alert_report.h),
// oldest first. ListAlerts answers newest first up to a limit and has no
// paging, so the export asks for one more than --limit and refuses when that
// many match rather than write a report with the oldest alerts missing.
int ExportAlerts(Invocation& inv) {
  std::string format = inv.cl->Get("format", "csv");
  if (format != "csv" && format != "json") Usage("alerts export: --format must be csv or json");
  if (!inv.args.empty()) Usage("alerts export takes no arguments");
  int64_t limit = *inv.cl->GetInt("limit", 2000);
  if (limit < 1 || limit > 100'000) Usage("alerts export: --limit must be 1..100000");
  av1::ListAlertsRequest r = AlertsRequest(inv);
  r.set_limit(static_cast<uint32_t>(limit + 1));
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = admin::MakeAdminChannel(inv.client);
  if (!channel.ok()) Usage(ToStd(channel.status().message()));
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, inv.client);
  av1::ListAlertsResponse reply;
  grpc::Status s = av1::SentinelAdmin::NewStub(*channel)->ListAlerts(&ctx, r, &reply);
  if (!s.ok()) return ExitFor(s, inv);
  if (reply.alerts_size() > limit) {
    std::fprintf(stderr,
                 "tradectl: more than %lld alerts match: nothing exported (an incomplete report "
                 "would miss the oldest); narrow with --since or --type, or raise --limit\n",
                 static_cast<long long>(limit));
    return kRefused;
  }
  std::vector<surveillance::v1::MarketAbuseAlert> alerts(reply.alerts().rbegin(),
                                                         reply.alerts().rend());
  std::fputs(format == "csv" ? surveillance::AlertsToCsv(alerts).c_str()
                             : surveillance::AlertsToJson(alerts, /*pretty=*/true).c_str(),
             stdout);
  return kOk;
}

absl::StatusOr<InstrumentId> ParseInstrument(const std::string& text) {
  return InstrumentId::Parse(text);
}

// grpc.health.v1 Check of the whole server (served without a token).
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         const admin::AdminClientOptions& client, bool* serving) {
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, client);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status s = grpc::health::v1::Health::NewStub(channel)->Check(
      &ctx, grpc::health::v1::HealthCheckRequest(), &response);
  *serving = s.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  return s;
}

// Calls `fn` for every service on the port plan (at --host, --instance).
void ForEachService(const Invocation& inv,
                    const std::function<void(const std::string&, const admin::AdminClientOptions&,
                                             const std::shared_ptr<grpc::Channel>&)>& fn) {
  for (int s = 1; s <= 8; ++s) {
    auto id = static_cast<ServiceId>(s);
    admin::AdminClientOptions client = inv.client;
    client.target = StrCat(inv.cl->Get("host", "127.0.0.1"), ":",
                           AdminPort(id, static_cast<int>(*inv.cl->GetInt("instance", 0))));
    client.timeout_ms = std::min(client.timeout_ms, 2000);
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = admin::MakeAdminChannel(client);
    if (!channel.ok()) Usage(ToStd(channel.status().message()));
    fn(std::string(ServiceName(id)), client, *channel);
  }
}

int StatusAll(Invocation& inv) {
  std::vector<std::vector<std::string>> rows;
  int result = kOk;
  ForEachService(inv, [&](const std::string& name, const admin::AdminClientOptions& client,
                          const std::shared_ptr<grpc::Channel>& channel) {
    std::vector<std::string> row = {name, client.target};
    bool serving = false;
    if (!CheckHealth(channel, client, &serving).ok()) {
      row.insert(row.end(), {"unreachable", "", "", "", "", ""});
      rows.push_back(row);
      result = kUnreachable;
      return;
    }
    row.push_back(serving ? "SERVING" : "NOT_SERVING");
    auto stub = av1::Admin::NewStub(channel);
    grpc::ClientContext ctx;
    admin::PrepareContext(&ctx, client);
    av1::ServiceStatus st;
    grpc::Status s2 = stub->GetStatus(&ctx, av1::GetStatusRequest(), &st);
    if (!s2.ok()) {
      row.insert(row.end(),
                 {s2.error_code() == grpc::StatusCode::UNAUTHENTICATED ? "(no token)" : "?", "", "",
                  "", ""});
      rows.push_back(row);
      return;
    }
    std::string role =
        st.role() == av1::ROLE_UNSPECIFIED ? "" : std::string(ShortEnumName(st.role()));
    std::string mode_role = st.trading_mode().empty() ? role : StrCat(st.trading_mode(), " ", role);
    std::string counters;
    for (const av1::Counter& c : st.counters()) {
      if (counters.size() > 60) break;
      StrAppend(&counters, counters.empty() ? "" : " ", c.name(), "=", c.value());
    }
    row.push_back(st.ready() ? "yes" : StrCat("no: ", st.not_ready_reason()));
    row.push_back(mode_role);
    row.push_back(st.version());
    row.push_back(StrCat(st.uptime_s(), "s"));
    row.push_back(counters);
    rows.push_back(row);
  });
  std::fputs(RenderTable({"SERVICE", "ADMIN", "HEALTH", "READY", "MODE/ROLE", "VERSION", "UPTIME",
                          "COUNTERS"},
                         rows)
                 .c_str(),
             stdout);
  return result;
}

std::vector<Command> Commands() {
  std::vector<Command> c;
  c.push_back({{"status"},
               "",
               "status [--service NAME | --target HOST:PORT | --all]",
               "one service's status, or (--all, the default) every service's health, "
               "mode/role, version, uptime and key counters in one table",
               [](Invocation& inv) {
                 bool one = !inv.service.empty() || inv.cl->Has("target");
                 if (inv.cl->Has("all") || !one) return StatusAll(inv);
                 return TP_CALL(Admin, GetStatus, av1::GetStatusRequest());
               }});
  c.push_back({{"health"},
               "",
               "health (--service NAME | --target HOST:PORT) [--instance N]",
               "one admin server's gRPC health, for container health checks: exit 0 when "
               "SERVING, 1 when NOT_SERVING (not ready, or a standby), 3 when unreachable",
               [](Invocation& inv) {
                 if (inv.client.target.empty()) {
                   Usage("health needs --service NAME or --target HOST:PORT");
                 }
                 absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
                     admin::MakeAdminChannel(inv.client);
                 if (!channel.ok()) Usage(ToStd(channel.status().message()));
                 bool serving = false;
                 grpc::Status s = CheckHealth(*channel, inv.client, &serving);
                 if (!s.ok()) return ExitFor(s, inv);
                 std::puts(serving ? "SERVING" : "NOT_SERVING");
                 return static_cast<int>(serving ? kOk : kRefused);
               }});
  c.push_back({{"log-level", "set"},
               "",
               "log-level set LEVEL [--service NAME] --reason TEXT",
               "change the log level at run time, of one service or (no --service) of every "
               "service that answers",
               [](Invocation& inv) {
                 if (inv.args.size() != 1) Usage("log-level set needs LEVEL");
                 av1::SetLogLevelRequest r;
                 r.set_level(inv.args[0]);
                 r.set_reason(RequireReason(inv));
                 if (!inv.client.target.empty()) return TP_CALL(Admin, SetLogLevel, r);
                 std::vector<std::vector<std::string>> rows;
                 int result = kOk;
                 ForEachService(
                     inv, [&](const std::string& name, const admin::AdminClientOptions& client,
                              const std::shared_ptr<grpc::Channel>& channel) {
                       grpc::ClientContext ctx;
                       admin::PrepareContext(&ctx, client);
                       av1::SetLogLevelResponse resp;
                       grpc::Status s = av1::Admin::NewStub(channel)->SetLogLevel(&ctx, r, &resp);
                       if (!s.ok()) result = kRefused;
                       rows.push_back({name, client.target,
                                       s.ok() ? StrCat(resp.previous(), " -> ", resp.level())
                                              : s.error_message()});
                     });
                 std::fputs(RenderTable({"SERVICE", "ADMIN", "LOG LEVEL"}, rows).c_str(), stdout);
                 return result;
               }});
  c.push_back(
      {{"mode", "get"}, "risk", "mode get", "the trading mode and blocks", [](Invocation& inv) {
         return TP_CALL(RiskAdmin, GetMode, av1::GetModeRequest());
       }});
  c.push_back({{"mode", "set"},
               "risk",
               "mode set MODE --reason TEXT",
               "ACTIVE, REDUCING, PAUSED or HALTED (leaving HALTED may need a second operator)",
               [](Invocation& inv) {
                 if (inv.args.size() != 1) Usage("mode set needs MODE");
                 av1::SetModeRequest r;
                 risk::v1::TradingMode m;
                 if (!ParseEnum(inv.args[0], &m)) {
                   Usage(StrCat("unknown mode '", inv.args[0], "' (",
                                EnumChoices(*risk::v1::TradingMode_descriptor()), ")"));
                 }
                 r.set_mode(m);
                 r.set_reason(RequireReason(inv));
                 return TP_CALL(RiskAdmin, SetMode, r);
               }});
  c.push_back({{"kill"},
               "risk",
               "kill --reason TEXT [--flatten]",
               "the kill switch: HALTED, every open order cancelled; returns when execution "
               "has acknowledged",
               [](Invocation& inv) {
                 av1::KillRequest r;
                 r.set_reason(RequireReason(inv));
                 r.set_flatten(inv.cl->Has("flatten"));
                 return TP_CALL(RiskAdmin, Kill, r);
               }});
  for (std::string verb : {"block", "unblock"}) {
    c.push_back(
        {{verb},
         "risk",
         verb + " strategy|instrument ID --reason TEXT",
         verb == "block" ? "stop one strategy or instrument from trading" : "let it trade again",
         [verb](Invocation& inv) {
           if (inv.args.size() != 2) Usage(verb + " needs strategy|instrument ID");
           av1::BlockRequest r;
           if (inv.args[0] == "strategy") {
             r.set_scope(risk::v1::BLOCK_SCOPE_STRATEGY);
           } else if (inv.args[0] == "instrument") {
             r.set_scope(risk::v1::BLOCK_SCOPE_INSTRUMENT);
             absl::StatusOr<InstrumentId> id = ParseInstrument(inv.args[1]);
             if (!id.ok()) Usage(ToStd(id.status().message()));
           } else {
             Usage(StrCat("'", inv.args[0], "' is neither strategy nor instrument"));
           }
           r.set_id(inv.args[1]);
           r.set_reason(RequireReason(inv));
           return verb == "block" ? TP_CALL(RiskAdmin, Block, r) : TP_CALL(RiskAdmin, Unblock, r);
         }});
  }
  c.push_back({{"positions"},
               "risk",
               "positions [--by-strategy]",
               "positions and PnL per instrument",
               [](Invocation& inv) {
                 av1::GetPositionsRequest r;
                 r.set_by_strategy(inv.cl->Has("by-strategy"));
                 return TP_CALL(RiskAdmin, GetPositions, r);
               }});
  c.push_back({{"pnl"},
               "risk",
               "pnl",
               "PnL, equity and drawdown in the valuation currency",
               [](Invocation& inv) { return TP_CALL(RiskAdmin, GetPnl, av1::GetPnlRequest()); }});
  c.push_back(
      {{"limits", "get"}, "risk", "limits get", "the risk limits in force", [](Invocation& inv) {
         return TP_CALL(RiskAdmin, GetLimits, av1::GetLimitsRequest());
       }});
  c.push_back({{"limits", "set"},
               "risk",
               "limits set -f FILE.yaml --reason TEXT",
               "replace the limits (validated, audited, applied without restart)",
               [](Invocation& inv) {
                 std::string file = inv.cl->Get("file");
                 if (file.empty()) Usage("limits set needs -f FILE.yaml");
                 std::ifstream in(file);
                 if (!in) Usage(StrCat("cannot read '", file, "'"));
                 std::stringstream text;
                 text << in.rdbuf();
                 av1::SetLimitsRequest r;
                 r.set_yaml(text.str());
                 r.set_reason(RequireReason(inv));
                 return TP_CALL(RiskAdmin, SetLimits, r);
               }});
  c.push_back({{"report", "eod"},
               "risk",
               "report eod [--date YYYY-MM-DD]",
               "end-of-day statement: positions, fills and PnL per instrument",
               [](Invocation& inv) {
                 av1::EndOfDayRequest r;
                 if (inv.cl->Has("date")) {
                   if (!ParseDate(inv.cl->Get("date")).ok()) Usage("--date must be YYYY-MM-DD");
                   r.set_date(inv.cl->Get("date"));
                 }
                 return TP_CALL(RiskAdmin, EndOfDayReport, r);
               }});
  c.push_back({{"orders"},
               "execution",
               "orders [--open] [--limit N]",
               "orders as execution knows them",
               [](Invocation& inv) {
                 av1::ListOrdersRequest r;
                 r.set_open_only(inv.cl->Has("open"));
                 r.set_limit(static_cast<uint32_t>(*inv.cl->GetInt("limit", 100)));
                 return TP_CALL(ExecutionAdmin, ListOrders, r);
               }});
  c.push_back({{"cancel"},
               "execution",
               "cancel CLIENT_ORDER_ID|--all --reason TEXT",
               "cancel one order or every open order",
               [](Invocation& inv) {
                 av1::CancelRequest r;
                 if (inv.cl->Has("all") == (inv.args.size() == 1)) {
                   Usage("cancel needs either CLIENT_ORDER_ID or --all");
                 }
                 if (!inv.args.empty()) r.set_client_order_id(inv.args[0]);
                 r.set_all(inv.cl->Has("all"));
                 r.set_reason(RequireReason(inv));
                 return TP_CALL(ExecutionAdmin, Cancel, r);
               }});
  c.push_back({{"fills"},
               "execution",
               "fills [--since TIME] [--limit N]",
               "our fills",
               [](Invocation& inv) {
                 av1::ListFillsRequest r;
                 if (inv.cl->Has("since")) {
                   absl::StatusOr<Timestamp> t = ParseRfc3339(inv.cl->Get("since"));
                   if (!t.ok()) Usage(ToStd(t.status().message()));
                   r.set_since_ns(t->nanos());
                 }
                 r.set_limit(static_cast<uint32_t>(*inv.cl->GetInt("limit", 100)));
                 return TP_CALL(ExecutionAdmin, ListFills, r);
               }});
  c.push_back({{"book"},
               "market-data",
               "book VENUE.SYMBOL [--depth N]",
               "the current order book, from market-data",
               [](Invocation& inv) {
                 if (inv.args.size() != 1) Usage("book needs VENUE.SYMBOL (e.g. BINANCE.NKNUSDT)");
                 absl::StatusOr<InstrumentId> id = ParseInstrument(inv.args[0]);
                 if (!id.ok()) Usage(ToStd(id.status().message()));
                 av1::GetBookRequest r;
                 id->ToProto(r.mutable_instrument());
                 r.set_depth(static_cast<uint32_t>(*inv.cl->GetInt("depth", 10)));
                 return TP_CALL(MarketDataAdmin, GetBook, r);
               }});
  c.push_back({{"feeds", "release"},
               "market-data",
               "feeds release --reason TEXT",
               "start feeds held at start-up (market-data hold_feeds)",
               [](Invocation& inv) {
                 av1::ReleaseFeedsRequest r;
                 r.set_reason(RequireReason(inv));
                 return TP_CALL(MarketDataAdmin, ReleaseFeeds, r);
               }});
  c.push_back({{"strategies"},
               "signal",
               "strategies",
               "strategy instances with state, position, last intent",
               [](Invocation& inv) {
                 return TP_CALL(SignalAdmin, ListStrategies, av1::ListStrategiesRequest());
               }});
  for (std::string verb : {"enable", "disable"}) {
    c.push_back({{"strategies", verb},
                 "signal",
                 "strategies " + verb + " ID --reason TEXT",
                 verb + " a strategy instance at run time",
                 [verb](Invocation& inv) {
                   if (inv.args.size() != 1) Usage("needs a strategy ID");
                   av1::SetStrategyEnabledRequest r;
                   r.set_id(inv.args[0]);
                   r.set_enabled(verb == "enable");
                   r.set_reason(RequireReason(inv));
                   return TP_CALL(SignalAdmin, SetStrategyEnabled, r);
                 }});
  }
  c.push_back({{"alerts"},
               "sentinel",
               "alerts [--since TIME] [--type TYPE] [--limit N]",
               "market-abuse alerts, newest first",
               [](Invocation& inv) {
                 av1::ListAlertsRequest r = AlertsRequest(inv);
                 r.set_limit(static_cast<uint32_t>(*inv.cl->GetInt("limit", 100)));
                 return TP_CALL(SentinelAdmin, ListAlerts, r);
               }});
  c.push_back({{"alerts", "export"},
               "sentinel",
               "alerts export [--format csv|json] [--since TIME] [--type TYPE] [--limit N]",
               "stored alerts with their evidence, oldest first, for a suspicious transaction "
               "and order report (STOR)",
               [](Invocation& inv) { return ExportAlerts(inv); }});
  c.push_back({{"alerts", "ack"},
               "sentinel",
               "alerts ack ALERT_ID --note TEXT",
               "acknowledge an alert",
               [](Invocation& inv) {
                 if (inv.args.size() != 1) Usage("alerts ack needs ALERT_ID");
                 if (inv.cl->Get("note").empty()) Usage("alerts ack needs --note TEXT");
                 av1::AckAlertRequest r;
                 r.set_alert_id(inv.args[0]);
                 r.set_note(inv.cl->Get("note"));
                 return TP_CALL(SentinelAdmin, AckAlert, r);
               }});
  c.push_back({{"recon", "run"},
               "reconciler",
               "recon run [--reason TEXT]",
               "reconcile now against the venue",
               [](Invocation& inv) {
                 av1::RunReconRequest r;
                 r.set_reason(inv.cl->Get("reason", "operator request"));
                 return TP_CALL(ReconcilerAdmin, Run, r);
               }});
  c.push_back({{"recon", "breaks"},
               "reconciler",
               "recon breaks [--open]",
               "reconciliation breaks",
               [](Invocation& inv) {
                 av1::ListBreaksRequest r;
                 r.set_open_only(inv.cl->Has("open"));
                 r.set_limit(static_cast<uint32_t>(*inv.cl->GetInt("limit", 100)));
                 return TP_CALL(ReconcilerAdmin, ListBreaks, r);
               }});
  c.push_back({{"recon", "runs"},
               "reconciler",
               "recon runs [--limit N]",
               "reconciliation runs",
               [](Invocation& inv) {
                 av1::ListRunsRequest r;
                 r.set_limit(static_cast<uint32_t>(*inv.cl->GetInt("limit", 20)));
                 return TP_CALL(ReconcilerAdmin, ListRuns, r);
               }});
  c.push_back(
      {{"signer", "keys"},
       "signer",
       "signer keys",
       "key metadata (never a secret)",
       [](Invocation& inv) { return TP_CALL(SignerAdmin, ListKeys, av1::ListKeysRequest()); }});
  c.push_back({{"signer", "audit"},
               "signer",
               "signer audit [--tail N]",
               "the signing audit trail",
               [](Invocation& inv) {
                 av1::TailAuditRequest r;
                 r.set_n(static_cast<uint32_t>(*inv.cl->GetInt("tail", 20)));
                 return TP_CALL(SignerAdmin, TailAudit, r);
               }});
  return c;
}

// ./.tradeplane/admin-token, then $XDG_CONFIG_HOME/tradeplane/admin-token.
std::string ReadToken(const CommandLine& cl) {
  auto read = [](const std::string& path) -> std::string {
    std::ifstream in(path);
    if (!in) return "";
    std::string line;
    while (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty() && line[0] != '#') return line;
    }
    return "";
  };
  if (cl.Has("token-file")) {
    std::string t = read(cl.Get("token-file"));
    if (t.empty()) Usage(StrCat("cannot read a token from '", cl.Get("token-file"), "'"));
    return t;
  }
  if (const char* env = std::getenv("TRADEPLANE_ADMIN_TOKEN"); env != nullptr && *env != '\0') {
    return env;
  }
  if (std::string t = read(".tradeplane/admin-token"); !t.empty()) return t;
  std::string xdg;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x != nullptr && *x != '\0') {
    xdg = x;
  } else if (const char* home = std::getenv("HOME"); home != nullptr) {
    xdg = StrCat(home, "/.config");
  }
  return xdg.empty() ? "" : read(xdg + "/tradeplane/admin-token");
}

void PrintHelp(const std::vector<Command>& commands, const std::vector<std::string>& prefix) {
  std::string out;
  if (prefix.empty()) {
    out =
        "usage: tradectl [--target HOST:PORT | --service NAME] [--token-file F] [-o FORMAT] "
        "COMMAND [ARGS]\n\ncommands:\n";
  } else {
    out = "usage:\n";
  }
  for (const Command& c : commands) {
    if (c.words.size() < prefix.size() ||
        !std::equal(prefix.begin(), prefix.end(), c.words.begin())) {
      continue;
    }
    out += StrCat("  tradectl ", c.usage, "\n      ", c.help,
                  c.service.empty() ? "" : StrCat(" [", c.service, "]"), "\n");
  }
  out += "\nflags:\n" + FlagHelp(kFlags);
  out +=
      "\nThe token is read from --token-file, TRADEPLANE_ADMIN_TOKEN, ./.tradeplane/admin-token,\n"
      "then $XDG_CONFIG_HOME/tradeplane/admin-token. Exit codes: 0 done, 1 refused,\n"
      "2 usage, 3 unreachable, 4 not authenticated.\n";
  std::fputs(out.c_str(), stdout);
}

int Main(int argc, char** argv) {
  absl::StatusOr<CommandLine> cl = CommandLine::Parse(argc, argv, 1, kFlags);
  if (!cl.ok()) Usage(ToStd(cl.status().message()));
  std::vector<Command> commands = Commands();
  const std::vector<std::string>& words = cl->positional();
  // The longest command whose words start the positional arguments.
  const Command* match = nullptr;
  for (const Command& c : commands) {
    if (c.words.size() <= words.size() &&
        std::equal(c.words.begin(), c.words.end(), words.begin()) &&
        (match == nullptr || c.words.size() > match->words.size())) {
      match = &c;
    }
  }
  if (cl->Has("help") || words.empty()) {
    std::vector<std::string> prefix = words;
    if (match != nullptr) prefix = match->words;
    PrintHelp(commands, prefix);
    return words.empty() && !cl->Has("help") ? kUsage : kOk;
  }
  if (match == nullptr) Usage(StrCat("unknown command '", words[0], "'"));
  Invocation inv;
  inv.cl = &*cl;
  inv.args.assign(words.begin() + static_cast<long>(match->words.size()), words.end());
  absl::StatusOr<OutputFormat> format = ParseOutputFormat(cl->Get("output", "table"));
  if (!format.ok()) Usage(ToStd(format.status().message()));
  inv.format = *format;
  absl::StatusOr<int64_t> timeout = cl->GetInt("timeout-ms", 5000);
  absl::StatusOr<int64_t> instance = cl->GetInt("instance", 0);
  for (const char* f : {"depth", "limit", "tail"}) {
    if (!cl->GetInt(f, 0).ok()) Usage(ToStd(cl->GetInt(f, 0).status().message()));
  }
  if (!timeout.ok()) Usage(ToStd(timeout.status().message()));
  if (!instance.ok() || *instance < 0 || *instance > kMaxInstance) Usage("--instance must be 0..4");
  inv.client.timeout_ms = static_cast<int>(*timeout);
  inv.client.token = ReadToken(*cl);
  inv.client.ca_file = cl->Get("ca-file");
  inv.client.cert_file = cl->Get("cert-file");
  inv.client.key_file = cl->Get("key-file");
  inv.service = cl->Get("service", match->service);
  if (cl->Has("target")) {
    inv.client.target = cl->Get("target");
  } else if (!inv.service.empty()) {
    std::optional<ServiceId> id = ServiceByName(inv.service);
    if (!id) Usage(StrCat("unknown service '", inv.service, "'"));
    inv.client.target =
        StrCat(cl->Get("host", "127.0.0.1"), ":", AdminPort(*id, static_cast<int>(*instance)));
  } else if (match->words[0] != "status" && match->words[0] != "log-level" &&
             match->words[0] != "health") {
    Usage("which service? (--service NAME or --target HOST:PORT)");
  }
  return match->run(inv);
}

}  // namespace
}  // namespace tradeplane::tradectl

int main(int argc, char** argv) { return tradeplane::tradectl::Main(argc, argv); }
