// A test-only crash hook: with TRADEPLANE_TEST_CRASH_AT=<point> in the
// environment, the process kills itself with SIGKILL (as `kill -9` would) the
// first time it reaches <point>. Compiled into every build and inert unless
// the variable is set, so the tests kill the binary users run.
//
// Points (docs/reference/execution.md):
//   after_journal        the new order is journaled, nothing sent yet
//   after_send           the venue answered the new order; the answer is not
//                        journaled yet
//   before_fill_publish  a fill is journaled, not yet published
#ifndef TRADEPLANE_SERVICES_EXECUTION_CRASH_HOOK_H_
#define TRADEPLANE_SERVICES_EXECUTION_CRASH_HOOK_H_

#include <string_view>

namespace tradeplane::execution_service {

inline constexpr char kCrashAtVariable[] = "TRADEPLANE_TEST_CRASH_AT";

// Reads the variable once; logs a warning when it is set.
void InitCrashHook();
// SIGKILLs the process when `point` is the configured crash point.
void CrashPoint(std::string_view point);

}  // namespace tradeplane::execution_service

#endif  // TRADEPLANE_SERVICES_EXECUTION_CRASH_HOOK_H_
