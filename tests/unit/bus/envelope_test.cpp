#include "tradeplane/bus/envelope.h"

#include <catch2/catch.hpp>

#include "tradeplane/bus/topic.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"

namespace tradeplane::bus {
namespace {

v1::Header QuoteHeader() {
  v1::Header h;
  h.set_schema_version(kEnvelopeSchemaVersion);
  h.set_message_type("tradeplane.marketdata.v1.Quote");
  h.set_source_service("market-data");
  h.set_sequence(7);
  h.set_topic("md.quote.NASDAQ.AMZN");
  return h;
}

TEST_CASE("an encoded envelope is an ordinary Envelope protobuf", "[bus][envelope]") {
  marketdata::v1::Quote q;
  q.set_bid_price(3'355'210'000'000);
  std::string bytes;
  EncodeEnvelope(QuoteHeader(), q, &bytes);
  // Any protobuf implementation (pyzmq + protobuf in docs/protocol.md) reads it.
  v1::Envelope parsed;
  REQUIRE(parsed.ParseFromString(bytes));
  CHECK(parsed.header().sequence() == 7);
  marketdata::v1::Quote back;
  REQUIRE(back.ParseFromString(parsed.payload()));
  CHECK(back.bid_price() == q.bid_price());
  // And an Envelope written by protobuf decodes here.
  std::string standard = parsed.SerializeAsString();
  v1::Header h;
  std::string_view payload;
  REQUIRE(DecodeEnvelope(standard, &h, &payload).ok());
  CHECK(h.topic() == "md.quote.NASDAQ.AMZN");
  CHECK(payload == parsed.payload());
}

TEST_CASE("decoding refuses what is not a valid envelope", "[bus][envelope]") {
  marketdata::v1::Quote q;
  q.set_bid_qty(5);
  std::string good;
  EncodeEnvelope(QuoteHeader(), q, &good);
  v1::Header h;
  std::string_view payload;
  // Cut exactly after the header, an envelope is still valid protobuf (an
  // absent payload is an empty message). ZeroMQ delivers frames whole, and
  // recordings carry a checksum, so only that cut is not caught here.
  size_t header_end = good.size() - 2 - q.ByteSizeLong();
  for (size_t cut = 1; cut < good.size(); ++cut) {
    if (cut == header_end) continue;
    INFO("truncated to " << cut);
    CHECK_FALSE(DecodeEnvelope(std::string_view(good).substr(0, cut), &h, &payload).ok());
  }
  CHECK(DecodeEnvelope("", &h, &payload).code() == absl::StatusCode::kInvalidArgument);
  v1::Header v9 = QuoteHeader();
  v9.set_schema_version(9);
  std::string bytes;
  EncodeEnvelope(v9, q, &bytes);
  absl::Status s = DecodeEnvelope(bytes, &h, &payload);
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(s.message()), Catch::Contains("schema version 9"));
  v1::Header untyped = QuoteHeader();
  untyped.clear_message_type();
  EncodeEnvelope(untyped, q, &bytes);
  CHECK_THAT(std::string(DecodeEnvelope(bytes, &h, &payload).message()),
             Catch::Contains("no message type"));
  // Unknown fields from a newer writer are skipped.
  std::string extended = good + std::string("\x18\x05", 2);  // field 3, varint 5
  CHECK(DecodeEnvelope(extended, &h, &payload).ok());
}

TEST_CASE("topics are built from instruments and validated", "[bus][topic]") {
  common::v1::InstrumentId id;
  id.set_venue(common::v1::VENUE_BINANCE_USDM);
  id.set_symbol("SUSHIUSDT");
  CHECK(InstrumentTopic("md", "trade", id) == "md.trade.BINANCE_USDM.SUSHIUSDT");
  CHECK(QualifiedInstrumentTopic("md", "bar", "1m", id) == "md.bar.1m.BINANCE_USDM.SUSHIUSDT");
  CHECK(ValidateTopic("md.quote.NASDAQ.BRK.A").ok());
  CHECK_FALSE(ValidateTopic("").ok());
  CHECK_FALSE(ValidateTopic("md..x").ok());
  CHECK_FALSE(ValidateTopic("md.x.").ok());
  CHECK_FALSE(ValidateTopic("md.quote x").ok());
  CHECK_FALSE(ValidateTopic(std::string(300, 'a')).ok());
}

}  // namespace
}  // namespace tradeplane::bus
