// tradeplane-sentinel as a process on a real PostgreSQL: alerts persisted,
// listed, exported and acknowledged through the admin API and tradectl;
// de-duplication; blocks asked of a real risk process; authentication; bad
// input on the bus.
#include <catch2/catch.hpp>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/surveillance/v1/surveillance.pb.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/wait.h"

#include "sentinel_fixture.h"
#include <rapidjson/document.h>

namespace tradeplane::sentinel_test {
namespace {

namespace sv1 = surveillance::v1;
using Catch::Contains;
using testing::WaitUntil;

constexpr char kWashId[] = "WASH_TRADE-desk-a-0-1700000000000000000";

std::string Rfc3339(int64_t ns) { return FormatRfc3339(Timestamp::FromNanos(ns)); }

// The alert ids a `-o json` listing or a JSON export holds, in its order.
std::vector<std::string> AlertIds(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  INFO(json);
  REQUIRE_FALSE(doc.HasParseError());
  std::vector<std::string> ids;
  if (!doc.HasMember("alerts")) return ids;  // proto3 JSON omits an empty list
  for (const rapidjson::Value& a : doc["alerts"].GetArray())
    ids.push_back(a["alert_id"].GetString());
  return ids;
}

// A message named `full_name`'s package and type whose field 1 holds `bytes`:
// what the bus carries when a peer's schema or encoder is broken.
std::unique_ptr<google::protobuf::Message> Impostor(
    const std::string& package, const std::string& type, const std::string& bytes,
    google::protobuf::DescriptorPool* pool, google::protobuf::DynamicMessageFactory* factory) {
  google::protobuf::FileDescriptorProto file;
  file.set_name(type + "_impostor.proto");
  file.set_package(package);
  file.set_syntax("proto3");
  google::protobuf::DescriptorProto* message = file.add_message_type();
  message->set_name(type);
  google::protobuf::FieldDescriptorProto* field = message->add_field();
  field->set_name("field_one");
  field->set_number(1);
  field->set_type(google::protobuf::FieldDescriptorProto::TYPE_BYTES);
  field->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
  const google::protobuf::FileDescriptor* built = pool->BuildFile(file);
  REQUIRE(built != nullptr);
  const google::protobuf::Descriptor* d = built->FindMessageTypeByName(type);
  std::unique_ptr<google::protobuf::Message> m(factory->GetPrototype(d)->New());
  m->GetReflection()->SetString(m.get(), d->FindFieldByNumber(1), bytes);
  return m;
}

TEST_CASE("stored alerts are listed and exported with the since and type filters",
          "[sentinel][process][pg]") {
  SentinelWorld w;
  w.Sync();
  w.WashPattern("1", kT0);
  w.SpoofPattern("1", kT0 + 1000 * kSecond);
  w.WaitEvents(2 + 4);
  INFO(w.Log());
  // Persisted, with the evidence and the subject each one is about.
  CHECK(w.Query("SELECT type, severity, subject FROM sentinel_alerts ORDER BY raised_ns") ==
        "WASH_TRADE|MEDIUM|desk-a\nSPOOFING_LAYERING|CRITICAL|spoofer");

  auto all = w.Tradectl({"alerts", "-o", "json"});
  INFO(all.output);
  REQUIRE(all.exit_code == 0);
  std::vector<std::string> ids = AlertIds(all.output);
  REQUIRE(ids.size() == 2);  // newest first
  CHECK(ids[0].starts_with("SPOOFING_LAYERING-spoofer-"));
  CHECK(ids[1] == kWashId);

  auto wash_only = w.Tradectl({"alerts", "--type", "WASH_TRADE", "-o", "json"});
  CHECK(AlertIds(wash_only.output) == std::vector<std::string>{kWashId});
  auto recent = w.Tradectl({"alerts", "--since", Rfc3339(kT0 + 500 * kSecond), "-o", "json"});
  CHECK(AlertIds(recent.output) == std::vector<std::string>{ids[0]});
  auto none = w.Tradectl(
      {"alerts", "--since", Rfc3339(kT0 + 500 * kSecond), "--type", "WASH_TRADE", "-o", "json"});
  CHECK(none.exit_code == 0);
  CHECK(AlertIds(none.output).empty());

  // The export for a STOR: oldest first, every column of the evidence.
  auto csv = w.Tradectl({"alerts", "export", "--format", "csv"});
  INFO(csv.output);
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.output.starts_with(
      "alert_id,type,severity,instrument,subject,window_start,window_end,raised,order_ids,"
      "fill_ids,metrics,indicator,explanation,acknowledged,ack_by,ack_note\n"
      "WASH_TRADE-desk-a-0-1700000000000000000,WASH_TRADE,MEDIUM,SIM.NKNUSDT,desk-a,"
      "2023-11-14T22:13:20.000000000Z,"));
  for (const char* id : {"order-wash-sell-1", "order-wash-buy-1", ",wash-sell-1", "wash-buy-1,"})
    CHECK_THAT(csv.output, Contains(id));
  CHECK_THAT(csv.output,
             Contains("\n" + ids[0] + ",SPOOFING_LAYERING,CRITICAL,SIM.NKNUSDT,spoofer,"));
  CHECK_THAT(csv.output, Contains("size_to_depth=20 (threshold 0.5)"));
  CHECK_THAT(csv.output, Contains("2016/522"));

  auto json = w.Tradectl({"alerts", "export", "--format", "json", "--type", "SPOOFING_LAYERING"});
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  rapidjson::Document doc;
  doc.Parse(json.output.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc["alerts"].Size() == 1);
  const rapidjson::Value& spoof = doc["alerts"][0];
  CHECK(std::string(spoof["evidence"]["order_ids"][0].GetString()) == "spoof-1");
  CHECK(std::string(spoof["evidence"]["fill_ids"][0].GetString()) == "spoof-buy-1");
  CHECK(std::string(spoof["window_start_ns"].GetString()) == "2023-11-14T22:30:00.100000000Z");
  CHECK(std::string(spoof["explanation"].GetString()).find("spoofer") != std::string::npos);

  // An export that would leave the oldest alerts out is refused, not truncated.
  auto capped = w.Tradectl({"alerts", "export", "--limit", "1"});
  CHECK(capped.exit_code == 1);
  CHECK_THAT(capped.output, Contains("more than 1 alerts match: nothing exported"));
  CHECK(capped.output.find("alert_id,") == std::string::npos);
  CHECK(w.Tradectl({"alerts", "export", "--format", "xml"}).exit_code == 2);
  auto bad_type = w.Tradectl({"alerts", "--type", "FRONT_RUNNING"});
  CHECK(bad_type.exit_code == 2);
  CHECK_THAT(bad_type.output, Contains("WASH_TRADE"));
}

TEST_CASE("an acknowledgement is stored with who and why and audited, an unknown id is refused",
          "[sentinel][process][pg]") {
  SentinelWorld w;
  w.Sync();
  w.WashPattern("1", kT0);
  w.WaitEvents(2);
  INFO(w.Log());
  auto ack = w.Tradectl(
      {"alerts", "ack", kWashId, "--note", "two desks of ours; reviewed, no STOR", "-o", "json"});
  INFO(ack.output);
  REQUIRE(ack.exit_code == 0);
  CHECK_THAT(ack.output, Contains(R"("acknowledged": true)"));
  CHECK(w.Query("SELECT acknowledged, ack_by, ack_note, ack_at IS NOT NULL FROM sentinel_alerts") ==
        "t|compliance|two desks of ours; reviewed, no STOR|t");
  CHECK(w.Query("SELECT actor, target, reason, outcome FROM audit_log "
                "WHERE action = 'SentinelAdmin.AckAlert'") ==
        StrCat("compliance|", kWashId, "|two desks of ours; reviewed, no STOR|ok"));
  // The listing and the export show it acknowledged.
  auto listed = w.Tradectl({"alerts", "-o", "json"});
  CHECK_THAT(listed.output, Contains(R"("ack_by": "compliance")"));
  auto csv = w.Tradectl({"alerts", "export"});
  CHECK_THAT(csv.output, Contains(",true,compliance,\"two desks of ours; reviewed, no STOR\"\n"));

  auto missing = w.Tradectl({"alerts", "ack", "WASH_TRADE-nobody-0-1", "--note", "typo"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Contains("NOT_FOUND: no alert 'WASH_TRADE-nobody-0-1'"));
  CHECK(w.Query("SELECT outcome FROM audit_log WHERE target = 'WASH_TRADE-nobody-0-1'") ==
        "no alert 'WASH_TRADE-nobody-0-1'");
  auto no_note = w.Tradectl({"alerts", "ack", kWashId});
  CHECK(no_note.exit_code == 2);
  CHECK_THAT(no_note.output, Contains("--note"));
  // Straight to the API, an empty note is refused by the service itself.
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, w.AdminOptions());
  admin::v1::AckAlertRequest request;
  request.set_alert_id(kWashId);
  sv1::MarketAbuseAlert reply;
  grpc::Status s = w.Admin()->AckAlert(&ctx, request, &reply);
  CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(w.Query("SELECT ack_note FROM sentinel_alerts") == "two desks of ours; reviewed, no STOR");
}

TEST_CASE("admin calls without a valid token are refused and change nothing",
          "[sentinel][process][pg]") {
  SentinelWorld w;
  w.Sync();
  w.WashPattern("1", kT0);
  w.WaitEvents(2);
  auto wrong = w.Tradectl({"alerts"}, w.File("wrong-token"));
  CHECK(wrong.exit_code == 4);
  CHECK_THAT(wrong.output, Contains("not authenticated"));
  auto wrong_ack = w.Tradectl({"alerts", "ack", kWashId, "--note", "x"}, w.File("wrong-token"));
  CHECK(wrong_ack.exit_code == 4);
  auto wrong_export = w.Tradectl({"alerts", "export"}, w.File("wrong-token"));
  CHECK(wrong_export.exit_code == 4);
  CHECK(wrong_export.output.find("alert_id,") == std::string::npos);
  for (const std::string& token : {std::string(), std::string("compliance:0123456789abcdef0124")}) {
    grpc::ClientContext ctx;
    admin::PrepareContext(&ctx, w.AdminOptions(token));
    admin::v1::ListAlertsResponse listed;
    CHECK(w.Admin()->ListAlerts(&ctx, admin::v1::ListAlertsRequest(), &listed).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
    CHECK(listed.alerts_size() == 0);
    grpc::ClientContext ack_ctx;
    admin::PrepareContext(&ack_ctx, w.AdminOptions(token));
    admin::v1::AckAlertRequest ack;
    ack.set_alert_id(kWashId);
    ack.set_note("not me");
    sv1::MarketAbuseAlert out;
    CHECK(w.Admin()->AckAlert(&ack_ctx, ack, &out).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
  CHECK(w.Query("SELECT acknowledged FROM sentinel_alerts") == "f");
  CHECK(w.Tradectl({"alerts", "-o", "json"}).exit_code == 0);
}

TEST_CASE("the same pattern twice within the window raises one alert, and again after it",
          "[sentinel][process][pg]") {
  SentinelWorld w;
  w.Sync();
  w.WashPattern("1", kT0);
  w.WashPattern("2", kT0 + 10 * kSecond);   // the same owner, 10 s later
  w.WashPattern("3", kT0 + 200 * kSecond);  // still within the 300 s window
  w.WaitEvents(6);
  INFO(w.Log());
  CHECK(w.Query("SELECT count(*) FROM sentinel_alerts") == "1");
  CHECK(AlertIds(w.Tradectl({"alerts", "-o", "json"}).output) == std::vector<std::string>{kWashId});
  CHECK(w.Counter("alerts") == 1);
  // 400 s after the first: a new alert.
  w.WashPattern("4", kT0 + 400 * kSecond);
  w.WaitEvents(2);
  CHECK(w.Query("SELECT count(*) FROM sentinel_alerts") == "2");
  CHECK(w.Query("SELECT alert_id FROM sentinel_alerts ORDER BY raised_ns DESC LIMIT 1") ==
        "WASH_TRADE-desk-a-0-1700000400000000000");
}

TEST_CASE("a critical alert asks the real risk service to block the strategy",
          "[sentinel][process][pg][risk]") {
  RiskProcess risk;
  SentinelWorld w({.block_on_critical = true,
                   .risk_target = risk.target(),
                   .risk_token_file = risk.sentinel_token_file()});
  w.Sync();
  CHECK(risk.GetMode().blocks_size() == 0);
  w.WashPattern("1", kT0);  // MEDIUM: no block
  w.SpoofPattern("1", kT0 + 1000 * kSecond);
  w.WaitEvents(6);
  INFO(w.Log() << risk.Log());
  std::string spoof_id = w.Query(
      "SELECT alert_id FROM sentinel_alerts WHERE type = 'SPOOFING_LAYERING' AND "
      "severity = 'CRITICAL'");
  REQUIRE_FALSE(spoof_id.empty());
  admin::v1::ModeState mode;
  REQUIRE(WaitUntil(
      [&] {
        mode = risk.GetMode();
        return mode.blocks_size() > 0;
      },
      std::chrono::seconds(20)));
  REQUIRE(mode.blocks_size() == 1);  // the wash trade (not critical) asked for nothing
  const risk::v1::Block& block = mode.blocks(0);
  CHECK(block.scope() == risk::v1::BLOCK_SCOPE_STRATEGY);
  CHECK(block.id() == "spoofer");
  CHECK(block.actor() == "sentinel");
  CHECK(block.reason() == StrCat("sentinel: critical SPOOFING_LAYERING alert ", spoof_id));
  CHECK(
      risk.Query("SELECT actor, target, outcome FROM audit_log WHERE action = 'RiskAdmin.Block'") ==
      "sentinel|STRATEGY:spoofer|ok");
  CHECK(w.Counter("alerts") == 2);
}

TEST_CASE("malformed messages on exec and md are counted and the service keeps working",
          "[sentinel][process][pg]") {
  SentinelWorld w;
  w.Sync();
  double skipped = w.Counter("skipped_inputs");
  google::protobuf::DescriptorPool pool;
  google::protobuf::DynamicMessageFactory factory(&pool);
  // A Fill whose fill_id is not UTF-8, a Trade whose instrument is not a
  // message: both named as the real types, neither parses.
  auto bad_fill = Impostor("tradeplane.orders.v1", "Fill", "\xff\xfe\xfd", &pool, &factory);
  auto bad_trade =
      Impostor("tradeplane.marketdata.v1", "Trade", "\xff\xff\xff\xff\xff", &pool, &factory);
  w.PublishRaw("exec.fill.SIM.NKNUSDT", *bad_fill);
  w.PublishRaw("md.trade.SIM.NKNUSDT", *bad_trade);
  // A type sentinel does not take, on a topic it does.
  sv1::TapeStatistics stranger;
  w.PublishRaw("md.book.SIM.NKNUSDT", stranger);
  // Well-formed, but for an instrument sentinel was not configured with.
  orders::v1::Fill unknown;
  unknown.set_fill_id("x");
  unknown.mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  unknown.mutable_instrument()->set_symbol("BTCUSDT");
  w.PublishRaw("exec.fill.BINANCE.BTCUSDT", unknown);
  INFO(w.Log());
  REQUIRE(WaitUntil([&] { return w.Counter("malformed_inputs") >= 3; }, std::chrono::seconds(20)));
  REQUIRE(WaitUntil([&] { return w.Counter("skipped_inputs") >= skipped + 1; },
                    std::chrono::seconds(20)));
  CHECK(w.Counter("malformed_inputs") == 3);
  CHECK(w.Counter("skipped_inputs") == skipped + 1);
  // Still running and still detecting.
  w.WashPattern("1", kT0);
  w.WaitEvents(2);
  REQUIRE(w.Running());
  CHECK(w.Query("SELECT alert_id FROM sentinel_alerts") == kWashId);
  CHECK_THAT(w.Log(), Contains("does not parse"));
}

TEST_CASE("alerts raised while the database is down are stored when it comes back",
          "[sentinel][process][pg]") {
  // A cluster of its own: this test stops it.
  absl::StatusOr<std::unique_ptr<testing::PgCluster>> cluster = testing::PgCluster::Start();
  REQUIRE(cluster.ok());
  absl::StatusOr<std::string> db = (*cluster)->CreateDatabase();
  REQUIRE(db.ok());
  SentinelWorld w({.conninfo = *db});
  w.Sync();
  REQUIRE((*cluster)->Stop().ok());
  w.WashPattern("1", kT0);
  w.WaitEvents(2);
  INFO(w.Log());
  CHECK(w.Counter("alerts") == 1);
  CHECK(w.Counter("unstored_alerts") == 1);
  // Listed from memory meanwhile, and acknowledged there.
  auto listed = w.Tradectl({"alerts", "-o", "json"});
  CHECK(AlertIds(listed.output) == std::vector<std::string>{kWashId});
  CHECK(
      w.Tradectl({"alerts", "ack", kWashId, "--note", "seen while the store was down"}).exit_code ==
      0);
  REQUIRE((*cluster)->Restart().ok());
  REQUIRE(WaitUntil([&] { return w.Counter("unstored_alerts") == 0; }, std::chrono::seconds(30)));
  // The alert and its acknowledgement follow into the database.
  CHECK(w.Query("SELECT alert_id, subject, acknowledged, ack_by, ack_note FROM sentinel_alerts") ==
        StrCat(kWashId, "|desk-a|t|compliance|seen while the store was down"));
}

}  // namespace
}  // namespace tradeplane::sentinel_test
