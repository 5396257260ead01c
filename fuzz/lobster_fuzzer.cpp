// Fuzzes the LOBSTER parsers (libs/marketdata lobster_format.h): every line
// of the input as a message row and as an order-book row (any level count,
// and the 10 levels of the sample files), and the input's first line as a
// file name.
//
// Properties: an accepted order-book row has at most `levels` non-empty
// levels per side, best first (asks rising, bids falling) and not crossed;
// an accepted message row has a known type and a side.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tradeplane/marketdata/lobster_format.h"

namespace {

namespace md = tradeplane::marketdata;

[[noreturn]] void Fail(const char* what, std::string_view line) {
  __builtin_printf("lobster_fuzzer: property violated: %s ('%.*s')\n", what,
                   static_cast<int>(line.size()), line.data());
  std::abort();
}

void CheckBookRow(const md::LobsterBookRow& row, std::string_view line) {
  if (row.asks.size() > row.levels || row.bids.size() > row.levels) Fail("too many levels", line);
  for (size_t i = 1; i < row.asks.size(); ++i) {
    if (!(row.asks[i - 1].price < row.asks[i].price)) Fail("asks not rising", line);
  }
  for (size_t i = 1; i < row.bids.size(); ++i) {
    if (!(row.bids[i - 1].price > row.bids[i].price)) Fail("bids not falling", line);
  }
  if (!row.asks.empty() && !row.bids.empty() && !(row.bids[0].price < row.asks[0].price)) {
    Fail("crossed or locked row accepted", line);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static md::LobsterBookRow row;  // reused, as the replay reuses it

  size_t first_end = input.find('\n');
  (void)md::ParseLobsterFileName(input.substr(0, first_end));

  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(start, end - start);

    absl::StatusOr<md::LobsterMessage> message = md::ParseLobsterMessage(line);
    if (message.ok()) {
      int type = static_cast<int>(message->type);
      if (type < 1 || type > 7) Fail("unknown message type accepted", line);
      (void)md::LobsterEventTypeName(message->type);
    }
    if (md::ParseLobsterBookRow(line, 0, &row).ok()) CheckBookRow(row, line);
    if (md::ParseLobsterBookRow(line, 10, &row).ok()) CheckBookRow(row, line);

    start = end + 1;
  }
  return 0;
}
