// The market-data service's shell: feeds in, the MarketDataEngine in the
// middle, the bus out (md.quote/trade/book/bar/status), a snapshot socket for
// late or gapped subscribers, and the admin API (book, status).
#ifndef TRADEPLANE_SERVICES_MARKET_DATA_MARKET_DATA_SERVICE_H_
#define TRADEPLANE_SERVICES_MARKET_DATA_MARKET_DATA_SERVICE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/marketdata/market_data_engine.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/replay/feed.h"
#include "tradeplane/service/service_runtime.h"

#include "absl/status/statusor.h"

namespace tradeplane::market_data {

using replay::Feed;
using replay::FeedContext;

// Fills in the port plan's endpoints and the defaults for what `config` leaves out.
void ApplyDefaults(config::v1::MarketDataConfig* config);

class MarketDataService final : public marketdata::MarketDataListener,
                                public admin::v1::MarketDataAdmin::Service {
 public:
  static absl::StatusOr<std::unique_ptr<MarketDataService>> Create(
      const config::v1::MarketDataConfig& config, service::ServiceRuntime& runtime);
  ~MarketDataService() override;

  // For the runtime's admin status (any thread).
  void FillStatus(admin::v1::ServiceStatus* status);
  std::vector<grpc::Service*> AdminServices() { return {this}; }

  // MarketDataListener: publish.
  void OnQuote(const marketdata::Quote& quote) override;
  void OnTrade(const marketdata::Trade& trade) override;
  void OnBookDelta(const marketdata::BookDelta& delta) override;
  void OnBookSnapshot(const marketdata::BookSnapshot& snapshot) override;
  void OnBar(const marketdata::Bar& bar) override;
  void OnStatus(InstrumentIndex instrument, marketdata::FeedStatus status, std::string_view reason,
                Timestamp last_update) override;

  // MarketDataAdmin.
  grpc::Status GetBook(grpc::ServerContext* context, const admin::v1::GetBookRequest* request,
                       marketdata::v1::BookSnapshot* response) override;
  grpc::Status ReleaseFeeds(grpc::ServerContext* context,
                            const admin::v1::ReleaseFeedsRequest* request,
                            admin::v1::ReleaseFeedsResponse* response) override;

 private:
  struct Topics {
    std::string quote, trade, book, status;
    std::vector<std::string> bars;  // one per bar interval
  };
  struct InstrumentStatus {
    std::string id;
    uint64_t book_sequence = 0;
    int64_t last_update_ns = 0;
    std::string status;
    uint64_t messages = 0;
  };

  MarketDataService(const config::v1::MarketDataConfig& config, service::ServiceRuntime& runtime);
  absl::Status Start();
  // `receive_time`: when a live feed read the frame (zero for other events).
  void Publish(std::string_view topic, const google::protobuf::Message& message,
               Timestamp event_time, int type, Timestamp receive_time = Timestamp());
  void ToProto(const marketdata::BookSnapshot& snapshot, marketdata::v1::BookSnapshot* out) const;
  absl::Status OnSnapshotRequest(const marketdata::v1::SnapshotRequest& request,
                                 marketdata::v1::SnapshotReply* reply);
  void BadInput(std::string_view feed, std::string_view where, std::string_view reason);
  void RefreshStatus();

  config::v1::MarketDataConfig config_;
  service::ServiceRuntime& runtime_;
  InstrumentTable instruments_;
  std::unique_ptr<marketdata::MarketDataEngine> engine_;
  std::unique_ptr<bus::Publisher> publisher_;
  std::unique_ptr<bus::ReplyServer> snapshots_;
  std::vector<std::unique_ptr<Feed>> feeds_;
  std::vector<Topics> topics_;
  std::vector<std::string> bar_names_;  // "1s", "1m"...
  std::vector<uint64_t> published_per_instrument_;
  bool live_feeds_ = false;
  bool feeds_held_ = false;
  bus::v1::Heartbeat heartbeat_;

  // Reused messages: publishing allocates nothing per event after warm-up.
  marketdata::v1::Quote quote_;
  marketdata::v1::Trade trade_;
  marketdata::v1::BookDelta delta_;
  marketdata::v1::BookSnapshot snapshot_;
  marketdata::v1::Bar bar_;
  marketdata::v1::MarketStatus status_;

  telemetry::Counter* published_[6];  // quote, trade, book_delta, book_snapshot, bar, status
  telemetry::Counter* bad_input_;
  telemetry::Counter* refused_updates_;
  telemetry::Counter* resyncs_;
  telemetry::Counter* snapshot_requests_;
  telemetry::Gauge* stale_instruments_;
  telemetry::Gauge* feed_events_;
  telemetry::Histogram* feed_latency_;
  telemetry::Histogram* handling_latency_;

  std::mutex status_mu_;
  std::vector<InstrumentStatus> status_copy_;
  uint64_t events_total_ = 0;
  double events_per_second_ = 0;
  bool replays_finished_ = false;
  uint64_t counted_refused_ = 0;
  uint64_t counted_resyncs_ = 0;
};

}  // namespace tradeplane::market_data

#endif  // TRADEPLANE_SERVICES_MARKET_DATA_MARKET_DATA_SERVICE_H_
