// Market-data core benchmarks: the cost of one L2 delta near the top of a
// deep book, and of one LOBSTER message on the real AMZN file. Inputs are
// built once, outside the timed loops.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tradeplane/core/ids.h"
#include "tradeplane/marketdata/lobster_book.h"
#include "tradeplane/marketdata/order_book.h"

namespace tradeplane::marketdata {
namespace {

constexpr int64_t kTickRaw = 10'000'000;  // 0.01
constexpr int64_t kLotRaw = 1'000'000'000;
constexpr int kDepth = 1000;

// Deltas that touch the best 10 levels of either side: a new quantity for an
// existing level, a removal, or a level added back. The levels are chosen
// from the 10 best prices of the initial book, so the book stays ~1000 deep.
std::vector<BookLevel> TopDeltas(size_t n) {
  SeededRandom random(20240601);
  std::vector<BookLevel> deltas;
  deltas.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t level = static_cast<int64_t>(random.Next() % 10);
    int64_t lots = static_cast<int64_t>(random.Next() % 4);  // 0 removes
    deltas.push_back(BookLevel{Price::FromRaw(1'000'000 * kTickRaw - level * kTickRaw),
                               Quantity::FromRaw(lots * kLotRaw)});
  }
  return deltas;
}

void BM_L2DeltaNearTopOf1000Levels(benchmark::State& state) {
  OrderBook book({.max_depth = kDepth, .tick_size = Price::FromRaw(kTickRaw)});
  std::vector<BookLevel> bids;
  std::vector<BookLevel> asks;
  for (int64_t i = 0; i < kDepth; ++i) {
    bids.push_back({Price::FromRaw((1'000'000 - i) * kTickRaw), Quantity::FromRaw(5 * kLotRaw)});
    asks.push_back({Price::FromRaw((1'000'001 + i) * kTickRaw), Quantity::FromRaw(5 * kLotRaw)});
  }
  if (!book.ApplySnapshot(0, bids, asks, Timestamp()).ok()) std::abort();
  std::vector<BookLevel> deltas = TopDeltas(1 << 16);
  size_t next = 0;
  uint64_t sequence = 0;
  for (auto _ : state) {
    BookUpdate update{.previous_sequence = sequence, .sequence = sequence + 1};
    update.bids = std::span<const BookLevel>(&deltas[next], 1);
    absl::Status s = book.ApplyDelta(update);
    benchmark::DoNotOptimize(s);
    ++sequence;
    next = (next + 1) & (deltas.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bid_levels"] = static_cast<double>(book.Depth(BookSide::kBid));
}
BENCHMARK(BM_L2DeltaNearTopOf1000Levels);

std::vector<LobsterMessage> ReadAmznMessages() {
  std::vector<LobsterMessage> parsed;
  std::ifstream in(std::string(TRADEPLANE_SOURCE_DIR) +
                   "/data/lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv");
  std::string line;
  while (std::getline(in, line)) {
    absl::StatusOr<LobsterMessage> m = ParseLobsterMessage(line);
    if (!m.ok()) {
      std::fprintf(stderr, "AMZN line %zu: %s\n", parsed.size() + 1,
                   std::string(m.status().message()).c_str());
      std::abort();
    }
    parsed.push_back(*m);
  }
  return parsed;
}

const std::vector<LobsterMessage>& AmznMessages() {
  static const std::vector<LobsterMessage> messages = ReadAmznMessages();
  return messages;
}

// One iteration replays the whole file into a fresh book (built outside the
// timing); the counter per_message is the time one message costs.
void BM_LobsterAmznMessage(benchmark::State& state) {
  const std::vector<LobsterMessage>& messages = AmznMessages();
  if (messages.size() != 40674) {
    state.SkipWithError("the AMZN message file did not read as 40,674 rows");
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    LobsterBook book({.date = {2021, 4, 12}, .file_levels = 10});
    state.ResumeTiming();
    for (const LobsterMessage& m : messages) {
      absl::StatusOr<LobsterUpdate> u = book.Apply(m);
      benchmark::DoNotOptimize(u);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(messages.size()));
  state.counters["per_message"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(messages.size()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_LobsterAmznMessage)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tradeplane::marketdata
