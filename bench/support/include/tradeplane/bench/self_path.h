// The path of the running benchmark binary, for starting it again in another
// role (an echo peer, a relay, a subscriber) in a process of its own.
#ifndef TRADEPLANE_BENCH_SELF_PATH_H_
#define TRADEPLANE_BENCH_SELF_PATH_H_

#include <string>

namespace tradeplane::bench {

// The target of /proc/self/exe, or "/proc/self/exe" itself when the link
// cannot be read (executing that path still starts this binary).
std::string SelfPath();

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_SELF_PATH_H_
