#include "tradeplane/bench/interrupt.h"

#include <atomic>
#include <csignal>

namespace tradeplane::bench {
namespace {

std::atomic<int> g_signal{0};

extern "C" void NoteSignal(int signal) { g_signal.store(signal); }

}  // namespace

void CatchInterrupts() {
  struct sigaction action = {};
  action.sa_handler = NoteSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

absl::Status CheckInterrupted() {
  int signal = g_signal.load();
  if (signal == 0) return absl::OkStatus();
  return absl::CancelledError(signal == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)");
}

}  // namespace tradeplane::bench
