// Fuzzes the Binance market-data JSON parsers (libs/marketdata
// binance_format.h): every line of the input as a WebSocket log line, a REST
// depth log line and a bare stream frame; the first line also as a ws.log
// header. One BinanceParser is reused across inputs, as a feed handler
// reuses it across frames (its memory pools and buffers carry over).
//
// Properties: a frame's kind is one of the known kinds when accepted; an
// accepted depth snapshot's levels have positive prices.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tradeplane/marketdata/binance_format.h"

namespace {

namespace md = tradeplane::marketdata;

[[noreturn]] void Fail(const char* what, std::string_view line) {
  __builtin_printf("binance_fuzzer: property violated: %s ('%.*s')\n", what,
                   static_cast<int>(line.size() > 200 ? 200 : line.size()), line.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static md::BinanceParser parser;
  static md::BinanceFrame frame;
  static md::BinanceDepthSnapshot snapshot;

  size_t first_end = input.find('\n');
  (void)md::ParseBinanceWsLogHeader(input.substr(0, first_end));

  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(start, end - start);

    if (parser.ParseWsLogLine(line, &frame).ok() && frame.kind == md::BinanceEventKind::kNone) {
      Fail("accepted frame has no kind", line);
    }
    if (parser.ParseFrame(line, tradeplane::Timestamp(), &frame).ok() &&
        frame.kind == md::BinanceEventKind::kNone) {
      Fail("accepted frame has no kind", line);
    }
    if (parser.ParseRestLogLine(line, &snapshot).ok()) {
      for (const auto* side : {&snapshot.bids, &snapshot.asks}) {
        for (const tradeplane::marketdata::BookLevel& level : *side) {
          if (!level.price.is_positive()) Fail("snapshot level with a non-positive price", line);
        }
      }
    }
    (void)md::ParseEpochSeconds(line);

    start = end + 1;
  }
  return 0;
}
