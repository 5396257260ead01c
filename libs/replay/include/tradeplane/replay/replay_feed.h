// Replays market data from files: LOBSTER message files, the Binance stream
// recordings (frame log + REST snapshot log) and the suite's CSV formats
// (docs/reference/market-data-formats.md). Speed: as fast as possible, real
// time, or N times real time; start/end time filters. A bad line is counted
// and logged with its file and line number and skipped; the replay goes on.
#ifndef TRADEPLANE_REPLAY_REPLAY_FEED_H_
#define TRADEPLANE_REPLAY_REPLAY_FEED_H_

#include <memory>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/replay/feed.h"

#include "absl/status/statusor.h"

namespace tradeplane::replay {

absl::StatusOr<std::unique_ptr<Feed>> CreateReplayFeed(const config::v1::ReplayFeedConfig& config,
                                                       const FeedContext& context);

}  // namespace tradeplane::replay

#endif  // TRADEPLANE_REPLAY_REPLAY_FEED_H_
