// Events per second through every detector together (one engine, one thread)
// on the real AMZN half-hour. The file is read and converted once, before
// the timed loop; each iteration replays all its events into a reset engine.
//
// Two streams: the file as it is (participants mostly unknown, so most order
// events stop at the detectors' first check), and the same events with every
// order attributed to one of 64 participants (by order id), which sends every
// order event through every detector's windows: the cost a busy venue feed
// of our own flow would have.
//
// Baselines in the same run: the same events through an engine with every
// detector off (the shared market state only: the cost of the replay loop
// itself), and reading the file (LOBSTER text to events, what a review does
// before the detectors).
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/surveillance/lobster_adapter.h"
#include "tradeplane/surveillance/surveillance_engine.h"

namespace tradeplane::surveillance {
namespace {

constexpr char kAmznFile[] =
    TRADEPLANE_SOURCE_DIR "/data/lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv";

struct Stream {
  ParticipantTable participants;
  std::vector<Event> events;
};

std::string ReadAmzn() {
  std::ifstream in(kAmznFile);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Index 0: as recorded; 1: attributed. Built once, never freed (the process ends).
const Stream* LoadStreams() {
  auto* s = new Stream[2];
  std::string text = ReadAmzn();
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<std::vector<Event>> events = EventsFromLobsterText(
        text, LobsterAdapterOptions{0, CivilDate{2021, 4, 12}, 5}, &s[i].participants);
    if (!events.ok()) std::abort();
    s[i].events = std::move(*events);
  }
  std::vector<ParticipantId> ids;
  for (int p = 0; p < 64; ++p) ids.push_back(s[1].participants.Intern(StrCat("P", p)));
  for (Event& e : s[1].events) {
    bool order_event = e.kind == EventKind::kOrderSubmitted ||
                       e.kind == EventKind::kOrderCancelled || e.kind == EventKind::kOrderExecuted;
    if (order_event) e.participant = ids[(e.order_id * 0x9E3779B97F4A7C15ull) >> 58];
  }
  return s;
}

const Stream& Amzn(bool attributed) {
  static const Stream* streams = LoadStreams();
  return streams[attributed ? 1 : 0];
}

void RunEngine(benchmark::State& state, bool attributed, bool detectors_on) {
  const Stream& stream = Amzn(attributed);
  ParticipantTable participants = stream.participants;
  EngineConfig config;
  config.detectors["marking_the_close"].params["close_time_utc_s"] = 14 * 3600;
  if (!detectors_on) {
    for (std::string_view name : DetectorNames())
      config.detectors[std::string(name)].enabled = false;
  }
  absl::StatusOr<std::unique_ptr<SurveillanceEngine>> engine =
      SurveillanceEngine::Create(config, &participants);
  if (!engine.ok()) {
    state.SkipWithError("engine");
    return;
  }
  Timestamp end = stream.events.back().time;
  size_t alerts = 0;
  for (auto _ : state) {
    (*engine)->Reset();
    for (const Event& e : stream.events) {
      absl::Status status = (*engine)->OnEvent(e);
      benchmark::DoNotOptimize(status);
    }
    (*engine)->Finish(end);
    alerts = (*engine)->alerts().size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * stream.events.size()));
  state.counters["events"] = static_cast<double>(stream.events.size());
  state.counters["alerts"] = static_cast<double>(alerts);
}

void BM_AllDetectors_AmznAsRecorded(benchmark::State& state) { RunEngine(state, false, true); }
void BM_AllDetectors_AmznAttributed(benchmark::State& state) { RunEngine(state, true, true); }
void BM_NoDetectors_AmznAsRecorded(benchmark::State& state) { RunEngine(state, false, false); }
void BM_NoDetectors_AmznAttributed(benchmark::State& state) { RunEngine(state, true, false); }

// LOBSTER text to events (the adapter rebuilds the book to attach the depth).
void BM_ReadLobster_Amzn(benchmark::State& state) {
  std::string text = ReadAmzn();
  size_t events = 0;
  for (auto _ : state) {
    ParticipantTable participants;
    absl::StatusOr<std::vector<Event>> e = EventsFromLobsterText(
        text, LobsterAdapterOptions{0, CivilDate{2021, 4, 12}, 5}, &participants);
    if (!e.ok()) {
      state.SkipWithError("adapter");
      return;
    }
    events = e->size();
    benchmark::DoNotOptimize(e->data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events));
  state.counters["events"] = static_cast<double>(events);
}

BENCHMARK(BM_AllDetectors_AmznAsRecorded)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllDetectors_AmznAttributed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NoDetectors_AmznAsRecorded)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NoDetectors_AmznAttributed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadLobster_Amzn)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tradeplane::surveillance
