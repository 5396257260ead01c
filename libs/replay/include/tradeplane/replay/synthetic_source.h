// The synthetic generator as a feed: random-walk quotes and trades on tick
// and lot for configured instruments, at a configured rate, in real time.
// For load tests and for running the suite without any data.
#ifndef TRADEPLANE_REPLAY_SYNTHETIC_SOURCE_H_
#define TRADEPLANE_REPLAY_SYNTHETIC_SOURCE_H_

#include <memory>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/replay/feed.h"

#include "absl/status/statusor.h"

namespace tradeplane::replay {

absl::StatusOr<std::unique_ptr<Feed>> CreateSyntheticSource(
    const config::v1::SyntheticFeedConfig& config, const FeedContext& context);

}  // namespace tradeplane::replay

#endif  // TRADEPLANE_REPLAY_SYNTHETIC_SOURCE_H_
