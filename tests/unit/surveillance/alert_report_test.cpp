#include "tradeplane/surveillance/alert_report.h"

#include <string>

#include <catch2/catch.hpp>

#include "test_values.h"
#include <rapidjson/document.h>

namespace tradeplane::surveillance {
namespace {

using testing::T;

struct Fixture {
  Fixture() {
    InstrumentSpec spec;
    spec.id = InstrumentId{common::v1::VENUE_NASDAQ, "AMZN"};
    spec.tick_size = Price::FromRaw(10'000'000);
    spec.lot_size = Quantity::FromRaw(kFixedPointScale);
    REQUIRE(instruments.Add(spec).ok());
    naming.instruments = &instruments;
    naming.participants = &participants;
    alert.type = v1::ALERT_TYPE_SPOOFING_LAYERING;
    alert.severity = v1::SEVERITY_HIGH;
    alert.instrument = 0;
    alert.subject = participants.Intern("SPF01");
    alert.window_start = T(1000);
    alert.window_end = T(2500);
    alert.raised = T(2500);
    alert.order_ids = {9000000001, 9000000002};
    alert.fill_ids = {77};
    alert.metrics = {{"size_to_depth", 2.5, 0.5}, {"opposite_fill_qty", 100, 0}};
    alert.explanation = "SPF01 placed 2 buy orders of 1200, \"layered\", and cancelled them.";
    alert.indicator = RegulatoryIndicator(alert.type);
  }
  InstrumentTable instruments;
  ParticipantTable participants;
  AlertNaming naming;
  Alert alert;
};

TEST_CASE("the JSON report is an object with an alerts list in the suite's JSON form",
          "[surveillance][report]") {
  Fixture f;
  std::vector<Alert> alerts = {f.alert, f.alert};
  for (bool pretty : {false, true}) {
    std::string json = AlertsToJson(alerts, f.naming, pretty);
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    INFO(json);
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc["alerts"].IsArray());
    REQUIRE(doc["alerts"].Size() == 2);
    const rapidjson::Value& a = doc["alerts"][0];
    CHECK(std::string(a["alert_id"].GetString()) ==
          "SPOOFING_LAYERING-SPF01-0-1618234201000000000");
    CHECK(std::string(a["type"].GetString()) == "SPOOFING_LAYERING");
    CHECK(std::string(a["severity"].GetString()) == "HIGH");
    CHECK(std::string(a["instrument"]["symbol"].GetString()) == "AMZN");
    CHECK(std::string(a["subject"].GetString()) == "SPF01");
    CHECK(std::string(a["window_start_ns"].GetString()) == "2021-04-12T13:30:01.000000000Z");
    CHECK(std::string(a["evidence"]["order_ids"][1].GetString()) == "9000000002");
    CHECK(a["evidence"]["metrics"][0]["threshold"].GetDouble() == 0.5);
    CHECK(std::string(a["indicator"].GetString()).find("5(e)") != std::string::npos);
  }
  CHECK(AlertsToJson({}, f.naming) == "{\"alerts\":[]}");
}

TEST_CASE("order ids can be named the way execution wrote them", "[surveillance][report]") {
  Fixture f;
  f.naming.order_id_name = [](uint64_t id) { return "cl-" + std::to_string(id % 10); };
  v1::MarketAbuseAlert proto;
  AlertToProto(f.alert, f.naming, &proto);
  CHECK(proto.evidence().order_ids(0) == "cl-1");
  CHECK(proto.evidence().fill_ids(0) == "77");
  CHECK(proto.raised_ns() == T(2500).nanos());
}

TEST_CASE("the CSV report quotes fields with commas and quotes", "[surveillance][report]") {
  Fixture f;
  std::vector<Alert> alerts = {f.alert};
  std::string csv = AlertsToCsv(alerts, f.naming);
  size_t header_end = csv.find('\n');
  CHECK(csv.substr(0, header_end) ==
        "alert_id,type,severity,instrument,subject,window_start,window_end,raised,order_ids,"
        "fill_ids,metrics,indicator,explanation,acknowledged,ack_by,ack_note");
  std::string row = csv.substr(header_end + 1);
  CHECK(row.rfind("SPOOFING_LAYERING-SPF01-0-1618234201000000000,SPOOFING_LAYERING,HIGH,"
                  "NASDAQ.AMZN,SPF01,2021-04-12T13:30:01.000000000Z,",
                  0) == 0);
  CHECK(row.find(",9000000001 9000000002,77,") != std::string::npos);
  CHECK(row.find("size_to_depth=2.5 (threshold 0.5); opposite_fill_qty=100 (threshold 0)") !=
        std::string::npos);
  CHECK(row.find("\"SPF01 placed 2 buy orders of 1200, \"\"layered\"\", and cancelled them.\","
                 "false,,\n") != std::string::npos);
}

TEST_CASE("stored alerts export as the same CSV and JSON, acknowledgement included",
          "[surveillance][report]") {
  Fixture f;
  std::vector<Alert> raised = {f.alert};
  v1::MarketAbuseAlert stored;
  AlertToProto(f.alert, f.naming, &stored);
  stored.set_acknowledged(true);
  stored.set_ack_by("compliance");
  stored.set_ack_note("reviewed, one desk; no \"intent\"");
  std::vector<v1::MarketAbuseAlert> alerts = {stored};
  std::string csv = AlertsToCsv(alerts);
  std::string fresh = AlertsToCsv(raised, f.naming);
  // Everything up to the acknowledgement is what the review printed.
  std::string before_ack = fresh.substr(0, fresh.size() - std::string("false,,\n").size());
  CHECK(csv.rfind(before_ack, 0) == 0);
  CHECK(csv.substr(before_ack.size()) ==
        "true,compliance,\"reviewed, one desk; no \"\"intent\"\"\"\n");

  std::string json = AlertsToJson(alerts, /*pretty=*/true);
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  INFO(json);
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc["alerts"].Size() == 1);
  const rapidjson::Value& a = doc["alerts"][0];
  CHECK(a["acknowledged"].GetBool());
  CHECK(std::string(a["ack_by"].GetString()) == "compliance");
  CHECK(std::string(a["evidence"]["fill_ids"][0].GetString()) == "77");
  CHECK(std::string(a["raised_ns"].GetString()) == "2021-04-12T13:30:02.500000000Z");
  CHECK(AlertsToJson(std::span<const v1::MarketAbuseAlert>()) == "{\"alerts\":[]}");
}

}  // namespace
}  // namespace tradeplane::surveillance
