// tradeplane-indicators, run as a user runs it: real bars in both input
// layouts, every class of error, and --help.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/strategy/indicators.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

#include "lobster_bars.h"

namespace tradeplane::strategy {
namespace {

using ::tradeplane::testing::BinaryPath;
using ::tradeplane::testing::CommandResult;
using ::tradeplane::testing::RunCommand;
using ::tradeplane::testing::TempDir;
using ::tradeplane::testing::WriteFile;

std::string Number(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

// The AMZN one-minute bars in data.binance.vision's kline layout.
std::string Klines(const std::vector<testing::TestBar>& bars) {
  std::string text;
  for (const testing::TestBar& b : bars) {
    const int64_t open_ms = b.open_ns / 1'000'000;
    text += std::to_string(open_ms) + "," + Number(b.open) + "," + Number(b.high) + "," +
            Number(b.low) + "," + Number(b.close) + "," + Number(b.volume) + "," +
            std::to_string(open_ms + 59'999) + "," + Number(b.price_volume) + "," +
            std::to_string(b.trades) + ",0,0,0\n";
  }
  return text;
}

// The same bars in the project's bar CSV, ts as RFC 3339.
std::string BarCsv(const std::vector<testing::TestBar>& bars) {
  std::string text = "ts,open,high,low,close,volume\n";
  for (const testing::TestBar& b : bars) {
    text += FormatRfc3339(Timestamp::FromNanos(b.open_ns)) + "," + Number(b.open) + "," +
            Number(b.high) + "," + Number(b.low) + "," + Number(b.close) + "," + Number(b.volume) +
            "\n";
  }
  return text;
}

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> cells;
    size_t cell_start = start;
    while (true) {
      const size_t comma = text.find(',', cell_start);
      if (comma == std::string::npos || comma > end) {
        cells.push_back(text.substr(cell_start, end - cell_start));
        break;
      }
      cells.push_back(text.substr(cell_start, comma - cell_start));
      cell_start = comma + 1;
    }
    rows.push_back(std::move(cells));
    start = end + 1;
  }
  return rows;
}

CommandResult Run(std::vector<std::string> args) {
  args.insert(args.begin(), BinaryPath("tradeplane-indicators"));
  absl::StatusOr<CommandResult> result = RunCommand(std::move(args));
  REQUIRE(result.ok());
  return *result;
}

const std::vector<std::string> kSpecs = {"--indicator", "sma:5",      "--indicator", "macd:3:8:4",
                                         "--indicator", "bbands:6:2", "--indicator", "adx:5",
                                         "--indicator", "obv"};

TEST_CASE("the indicators tool computes the library's values from Binance klines",
          "[strategy][indicators-tool]") {
  const auto bars = testing::LoadLobsterBars(60);
  TempDir dir;
  WriteFile(dir.File("amzn.klines.csv"), Klines(bars));
  std::vector<std::string> args = {"--input", dir.File("amzn.klines.csv"), "--format",
                                   "binance-klines"};
  args.insert(args.end(), kSpecs.begin(), kSpecs.end());
  const CommandResult result = Run(args);
  INFO(result.output.substr(0, 2000));
  REQUIRE(result.exit_code == 0);
  const auto rows = ParseCsv(result.output);
  REQUIRE(rows.size() == 31);
  CHECK(rows[0] == std::vector<std::string>{"ts", "sma_5", "macd_3_8_4", "macd_signal_3_8_4",
                                            "macd_hist_3_8_4", "bb_upper_6_2", "bb_middle_6_2",
                                            "bb_lower_6_2", "adx_5", "plus_di_5", "minus_di_5",
                                            "obv"});
  Sma sma = *Sma::Create(5);
  Macd macd = *Macd::Create(3, 8, 4);
  Adx adx = *Adx::Create(5);
  for (size_t i = 0; i < bars.size(); ++i) {
    const std::vector<std::string>& row = rows[i + 1];
    REQUIRE(row.size() == 12);
    CHECK(row[0] == std::to_string(bars[i].open_ns / 1'000'000));  // ts exactly as given
    sma.Update(bars[i].close);
    macd.Update(bars[i].close);
    adx.Update(Ohlcv{bars[i].open, bars[i].high, bars[i].low, bars[i].close, bars[i].volume});
    // Warm-up cells are empty; values read back as the very same doubles.
    CHECK(row[1].empty() == !sma.Ready());
    if (sma.Ready()) CHECK(std::strtod(row[1].c_str(), nullptr) == sma.value());
    CHECK(row[2].empty() == (i < 10));  // MACD(3, 8, 4): lookback 7 + 3
    if (macd.Ready()) CHECK(std::strtod(row[4].c_str(), nullptr) == macd.histogram());
    CHECK(row[8].empty() == (i < 9));  // ADX(5): 2 * 5 - 1
    CHECK(row[9].empty() == (i < 5));  // +DI(5): 5
    if (adx.Ready()) CHECK(std::strtod(row[8].c_str(), nullptr) == adx.adx());
    CHECK_FALSE(row[11].empty());  // OBV has no warm-up
  }
}

TEST_CASE("the indicators tool gives the same output from the project's bar CSV",
          "[strategy][indicators-tool]") {
  const auto bars = testing::LoadLobsterBars(60);
  TempDir dir;
  WriteFile(dir.File("klines.csv"), Klines(bars));
  WriteFile(dir.File("bars.csv"), BarCsv(bars));
  std::vector<std::string> from_klines = {"--input", dir.File("klines.csv"), "--format",
                                          "binance-klines"};
  std::vector<std::string> from_csv = {"--input=" + dir.File("bars.csv"), "--format=csv"};
  from_klines.insert(from_klines.end(), kSpecs.begin(), kSpecs.end());
  from_csv.insert(from_csv.end(), kSpecs.begin(), kSpecs.end());
  from_klines.insert(from_klines.end(), {"--indicator", "vwap:585"});
  from_csv.insert(from_csv.end(), {"--indicator", "vwap:585"});
  const CommandResult a = Run(from_klines);
  const CommandResult b = Run(from_csv);
  REQUIRE(a.exit_code == 0);
  INFO(b.output.substr(0, 2000));
  REQUIRE(b.exit_code == 0);
  const auto rows_a = ParseCsv(a.output);
  const auto rows_b = ParseCsv(b.output);
  REQUIRE(rows_a.size() == rows_b.size());
  CHECK(rows_b[0].back() == "vwap_585");
  CHECK(rows_b[1][0] == "2021-04-12T09:30:00.000000000Z");  // ts exactly as given
  for (size_t r = 1; r < rows_a.size(); ++r) {
    // Only ts differs between the layouts.
    CHECK(std::vector<std::string>(rows_a[r].begin() + 1, rows_a[r].end()) ==
          std::vector<std::string>(rows_b[r].begin() + 1, rows_b[r].end()));
  }
  // The session starting 09:45 restarts the VWAP at the 16th bar: it is then
  // that bar's typical price.
  const testing::TestBar& bar = bars[15];
  CHECK(std::strtod(rows_b[16].back().c_str(), nullptr) == (bar.high + bar.low + bar.close) / 3);
}

TEST_CASE("bad indicator specs and usage exit 2 with the reason", "[strategy][indicators-tool]") {
  TempDir dir;
  WriteFile(dir.File("bars.csv"), "ts,open,high,low,close,volume\n1,1,1,1,1,1\n");
  const std::string input = dir.File("bars.csv");
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const Case cases[] = {
      {{"--input", input, "--format", "csv", "--indicator", "foo:3"},
       "--indicator 'foo:3': unknown indicator 'foo' (known: sma, ema"},
      {{"--input", input, "--format", "csv", "--indicator", "sma:0"},
       "--indicator 'sma:0': SMA: period 0 is out of range [1, 100000]"},
      {{"--input", input, "--format", "csv", "--indicator", "rsi:x"},
       "--indicator 'rsi:x': period 'x' is not a whole number"},
      {{"--input", input, "--format", "csv", "--indicator", "macd:12:26"},
       "'macd' takes 3 parameter(s) (macd:F:S:G), got 2"},
      {{"--input", input, "--format", "csv", "--indicator", "bbands:20:wide"},
       "width 'wide' is not a finite number"},
      {{"--input", input, "--format", "csv", "--indicator", "macd:26:12:9"},
       "fast period 26 must be below the slow period 12"},
      {{"--input", input, "--format", "csv", "--indicator", "sma:5", "--indicator", "sma:5"},
       "column sma_5 is already in the output"},
      {{"--input", input, "--format", "json", "--indicator", "sma:5"},
       "--format 'json' is not one of binance-klines, csv"},
      {{"--format", "csv", "--indicator", "sma:5"}, "--input FILE is required"},
      {{"--input", input, "--format", "csv"}, "at least one --indicator is required"},
      {{"--input", input, "--format", "csv", "--indicator"}, "--indicator needs a value"},
      {{"--input", input, "--format", "csv", "--indicator", "sma:5", "--verbose"},
       "unknown argument '--verbose'"},
  };
  for (const Case& c : cases) {
    const CommandResult result = Run(c.args);
    INFO(result.output);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains(c.message));
  }
}

TEST_CASE("bad input exits 1 naming the file and line", "[strategy][indicators-tool]") {
  TempDir dir;
  const std::string ok1 =
      "1618219800000,3357.84,3364.88,3355.23,3364.88,13031,1618219859999,"
      "43778728.65,548,0,0,0\n";
  const std::string ok2 =
      "1618219860000,3363.17,3370,3361.45,3369.23,12091,1618219919999,"
      "40712722.59,515,0,0,0\n";
  struct Case {
    const char* format;
    std::string contents;
    const char* message;
  };
  const Case cases[] = {
      {"binance-klines", ok1 + "1618219860000,3363.17,3370,3361.45,abc,12091,1,2,3,0,0,0\n",
       ":2: column 5 (close): 'abc' is not a number"},
      {"binance-klines", ok1 + "1618219860000,3363.17,3370,3361.45,3369.23\n",
       ":2: expected 12 columns (Binance kline layout), got 5"},
      {"binance-klines", ok1 + ok2 + "1618219920000,3369,nan,3365,3366,9672,1,2,3,0,0,0\n",
       ":3: column 3 (high): 'nan' is not a finite number"},
      {"binance-klines", ok1 + "1618219860000,3363.17,3361,3362,3362,12091,1,2,3,0,0,0\n",
       ":2: high 3361 is below low 3362"},
      {"binance-klines", ok1 + "1618219860000,3363.17,3370,3361.45,3380,12091,1,2,3,0,0,0\n",
       ":2: open 3363.17 and close 3380 must lie within low 3361.45 and high 3370"},
      {"binance-klines", ok1 + "1618219860000,3363.17,3370,3361.45,3369.23,-5,1,2,3,0,0,0\n",
       ":2: volume -5 is negative"},
      {"binance-klines", ok2 + ok1,
       ":2: ts 1618219800000 is not after the previous bar's 1618219860000"},
      {"binance-klines", "x" + ok1,
       ":1: column 1 (open_time): 'x1618219800000' is not a whole number"},
      {"csv", "time,o,h,l,c,v\n", ":1: expected the header 'ts,open,high,low,close,volume'"},
      {"csv", "", ": empty input, expected the header"},
      {"csv",
       "ts,open,high,low,close,volume\n2021-04-12T09:30:00Z,1,2,1,2,5\nyesterday,1,2,1,2,5\n",
       ":3: column 1 (ts): 'yesterday' is neither RFC 3339 nor an integer epoch"},
      {"csv", "ts,open,high,low,close,volume\n1618219800,1,2,1,2,5,7\n",
       ":2: expected 6 columns (ts,open,high,low,close,volume), got more"},
  };
  int index = 0;
  for (const Case& c : cases) {
    const std::string file = dir.File("input" + std::to_string(index++) + ".csv");
    WriteFile(file, c.contents);
    const CommandResult result =
        Run({"--input", file, "--format", c.format, "--indicator", "sma:2"});
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains(file + c.message));
  }
  const CommandResult missing =
      Run({"--input", dir.File("absent.csv"), "--format", "csv", "--indicator", "sma:2"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("cannot open " + dir.File("absent.csv")));
}

TEST_CASE("the indicators tool explains itself with --help", "[strategy][indicators-tool]") {
  const CommandResult result = Run({"--help"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("Usage: tradeplane-indicators --input FILE"));
  CHECK_THAT(result.output, Catch::Contains("macd:F:S:G"));
  CHECK_THAT(result.output, Catch::Contains("macd_signal_F_S_G"));
  CHECK_THAT(result.output, Catch::Contains("binance-klines"));
}

}  // namespace
}  // namespace tradeplane::strategy
