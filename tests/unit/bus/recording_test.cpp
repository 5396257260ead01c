#include "tradeplane/bus/recording.h"

#include <fstream>

#include <catch2/catch.hpp>

#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::bus {
namespace {

using testing::TempDir;

TEST_CASE("CRC-32C matches the published check value", "[bus][recording]") {
  CHECK(Crc32c(0, "123456789") == 0xe3069283u);  // RFC 3720 B.4 / the CRC catalogue
  CHECK(Crc32c(Crc32c(0, "1234"), "56789") == 0xe3069283u);
}

TEST_CASE("a recording reads back in order", "[bus][recording]") {
  TempDir dir;
  std::string path = dir.File("r.tprec");
  {
    auto w = RecordingWriter::Create(path);
    REQUIRE(w.ok());
    for (int i = 0; i < 100; ++i) {
      REQUIRE((*w)->Append(i * 10, "md.quote.NASDAQ.AMZN", std::string(static_cast<size_t>(i), 'x'))
                  .ok());
    }
    CHECK((*w)->records() == 100);
    REQUIRE((*w)->Close().ok());
  }
  auto r = RecordingReader::Open(path);
  REQUIRE(r.ok());
  RecordedMessage m;
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<bool> more = (*r)->Next(&m);
    REQUIRE(more.ok());
    REQUIRE(*more);
    REQUIRE(m.receive_time_ns == i * 10);
    REQUIRE(m.topic == "md.quote.NASDAQ.AMZN");
    REQUIRE(m.envelope.size() == static_cast<size_t>(i));
  }
  absl::StatusOr<bool> end = (*r)->Next(&m);
  REQUIRE(end.ok());
  CHECK_FALSE(*end);
}

TEST_CASE("damaged recordings are reported with the byte offset", "[bus][recording]") {
  TempDir dir;
  std::string path = dir.File("r.tprec");
  {
    auto w = RecordingWriter::Create(path);
    REQUIRE((*w)->Append(1, "a", "hello").ok());
    REQUIRE((*w)->Append(2, "b", "world").ok());
  }
  std::string bytes = testing::ReadFile(path);
  SECTION("a flipped byte") {
    bytes[bytes.size() - 8] ^= 0x40;
    testing::WriteFile(path, bytes);
    auto r = RecordingReader::Open(path);
    RecordedMessage m;
    REQUIRE(*(*r)->Next(&m));
    absl::StatusOr<bool> bad = (*r)->Next(&m);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(std::string(bad.status().message()),
               Catch::Contains("checksum mismatch") && Catch::Contains("offset 42"));
  }
  SECTION("a truncated tail") {
    testing::WriteFile(path, bytes.substr(0, bytes.size() - 3));
    auto r = RecordingReader::Open(path);
    RecordedMessage m;
    REQUIRE(*(*r)->Next(&m));
    CHECK_THAT(std::string((*r)->Next(&m).status().message()), Catch::Contains("truncated"));
    auto lenient = RecordingReader::Open(path);
    (*lenient)->set_allow_truncated_tail(true);
    REQUIRE(*(*lenient)->Next(&m));
    absl::StatusOr<bool> end = (*lenient)->Next(&m);
    REQUIRE(end.ok());
    CHECK_FALSE(*end);
  }
  SECTION("not a recording") {
    testing::WriteFile(path, "ts,open,high\n");
    CHECK_THAT(std::string(RecordingReader::Open(path).status().message()),
               Catch::Contains("not a bus recording"));
  }
  SECTION("a newer format version") {
    bytes[8] = 2;
    testing::WriteFile(path, bytes);
    CHECK(RecordingReader::Open(path).status().code() == absl::StatusCode::kFailedPrecondition);
  }
  CHECK(RecordingReader::Open(dir.File("missing")).status().code() == absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tradeplane::bus
