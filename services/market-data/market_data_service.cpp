#include "market_data_service.h"

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/bus/topic.h"
#include "tradeplane/bus/v1/envelope.pb.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/replay/binance_live_feed.h"
#include "tradeplane/replay/replay_feed.h"
#include "tradeplane/replay/synthetic_source.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::market_data {
namespace {

namespace md = marketdata;
namespace mdv1 = marketdata::v1;

enum PublishedType { kQuote, kTrade, kBookDelta, kBookSnapshot, kBar, kStatus };
constexpr std::string_view kTypeNames[] = {"quote",         "trade", "book_delta",
                                           "book_snapshot", "bar",   "status"};

std::string IntervalName(uint32_t seconds) {
  if (seconds % 3600 == 0) return StrCat(seconds / 3600, "h");
  if (seconds % 60 == 0) return StrCat(seconds / 60, "m");
  return StrCat(seconds, "s");
}

void SetLevels(std::span<const md::BookLevel> levels,
               google::protobuf::RepeatedPtrField<mdv1::BookLevel>* out) {
  // Reuses the elements already allocated.
  while (out->size() > static_cast<int>(levels.size())) out->RemoveLast();
  for (size_t i = 0; i < levels.size(); ++i) {
    mdv1::BookLevel* l =
        static_cast<int>(i) < out->size() ? out->Mutable(static_cast<int>(i)) : out->Add();
    l->set_price(levels[i].price.raw());
    l->set_qty(levels[i].qty.raw());
  }
}

}  // namespace

void ApplyDefaults(config::v1::MarketDataConfig* c) {
  int instance = static_cast<int>(c->common().identity().instance());
  if (c->publisher().endpoint().empty()) {
    c->mutable_publisher()->set_endpoint(
        StrCat("tcp://*:", BusPort(ServiceId::kMarketData, 0, instance)));
  }
  if (c->snapshot_server().endpoint().empty()) {
    c->mutable_snapshot_server()->set_endpoint(
        StrCat("tcp://*:", BusPort(ServiceId::kMarketData, 1, instance)));
  }
  if (c->book_depth() == 0) c->set_book_depth(1000);
  if (c->snapshot_interval_s() == 0) c->set_snapshot_interval_s(10);
  if (c->stale_after_ms() == 0) c->set_stale_after_ms(5000);
  if (c->bar_intervals_s().empty()) {
    c->add_bar_intervals_s(1);
    c->add_bar_intervals_s(60);
  }
}

MarketDataService::MarketDataService(const config::v1::MarketDataConfig& config,
                                     service::ServiceRuntime& runtime)
    : config_(config), runtime_(runtime) {}

MarketDataService::~MarketDataService() = default;

absl::StatusOr<std::unique_ptr<MarketDataService>> MarketDataService::Create(
    const config::v1::MarketDataConfig& config, service::ServiceRuntime& runtime) {
  std::unique_ptr<MarketDataService> s(new MarketDataService(config, runtime));
  absl::Status started = s->Start();
  if (!started.ok()) return started;
  return s;
}

absl::Status MarketDataService::Start() {
  telemetry::MetricsRegistry& m = runtime_.metrics();
  for (int t = 0; t < 6; ++t) {
    published_[t] = &m.GetCounter(
        service::MetricName(ServiceId::kMarketData, "published_messages_total"),
        "Messages published on md.*, by type.", {{"type", std::string(kTypeNames[t])}});
  }
  bad_input_ = &m.GetCounter(service::MetricName(ServiceId::kMarketData, "bad_input_total"),
                             "Lines or frames refused (logged with file and line or frame).");
  refused_updates_ =
      &m.GetCounter(service::MetricName(ServiceId::kMarketData, "refused_book_updates_total"),
                    "Book updates refused (gap, crossed, negative size): never published.");
  resyncs_ = &m.GetCounter(service::MetricName(ServiceId::kMarketData, "resyncs_total"),
                           "Books that lost sync and were rebuilt from a snapshot.");
  snapshot_requests_ =
      &m.GetCounter(service::MetricName(ServiceId::kMarketData, "snapshot_requests_total"),
                    "Snapshot requests served (late joiners, gaps).");
  stale_instruments_ = &m.GetGauge(service::MetricName(ServiceId::kMarketData, "stale_instruments"),
                                   "Instruments with no update within the staleness limit.");
  feed_events_ = &m.GetGauge(service::MetricName(ServiceId::kMarketData, "feed_events"),
                             "Events read from all feeds since start.");
  feed_latency_ = &m.GetHistogram(
      service::MetricName(ServiceId::kMarketData, "feed_latency_seconds"),
      "Live feeds: the venue's event time to publish (includes the network and any clock "
      "difference with the venue).",
      telemetry::LatencyBucketsSeconds());
  handling_latency_ = &m.GetHistogram(
      service::MetricName(ServiceId::kMarketData, "handling_seconds"),
      "Live feeds: frame received from the venue to published on the bus (this service's own "
      "time: parsing, book sync, normalisation).",
      telemetry::LatencyBucketsSeconds());

  for (const mdv1::Instrument& p : config_.instruments()) {
    absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(p);
    if (!spec.ok())
      return absl::InvalidArgumentError(StrCat("instruments: ", ToStd(spec.status().message())));
    absl::StatusOr<InstrumentIndex> added = instruments_.Add(*spec);
    if (!added.ok())
      return absl::InvalidArgumentError(StrCat("instruments: ", ToStd(added.status().message())));
  }
  if (instruments_.size() == 0) return absl::InvalidArgumentError("instruments: none configured");

  md::MarketDataEngineOptions options;
  options.book_depth = config_.book_depth();
  options.snapshot_levels = std::min<size_t>(config_.book_depth(), 100);
  options.stale_after = std::chrono::milliseconds(config_.stale_after_ms());
  options.snapshot_interval = std::chrono::seconds(config_.snapshot_interval_s());
  for (uint32_t s : config_.bar_intervals_s()) {
    if (s == 0) return absl::InvalidArgumentError("bar_intervals_s: an interval of 0 seconds");
    options.bar_intervals.push_back(std::chrono::seconds(s));
    bar_names_.push_back(IntervalName(s));
  }
  absl::StatusOr<std::unique_ptr<md::MarketDataEngine>> engine =
      md::MarketDataEngine::Create(instruments_, options, *this);
  if (!engine.ok()) return engine.status();
  engine_ = std::move(*engine);

  topics_.resize(instruments_.size());
  published_per_instrument_.resize(instruments_.size());
  for (InstrumentIndex i = 0; i < instruments_.size(); ++i) {
    common::v1::InstrumentId id;
    instruments_.at(i).id.ToProto(&id);
    Topics& t = topics_[i];
    t.quote = bus::InstrumentTopic("md", "quote", id);
    t.trade = bus::InstrumentTopic("md", "trade", id);
    t.book = bus::InstrumentTopic("md", "book", id);
    t.status = bus::InstrumentTopic("md", "status", id);
    for (const std::string& name : bar_names_)
      t.bars.push_back(bus::QualifiedInstrumentTopic("md", "bar", name, id));
  }

  absl::StatusOr<std::unique_ptr<bus::Publisher>> pub =
      bus::Publisher::Create(runtime_.bus(), config_.publisher(), "md-publisher");
  if (!pub.ok()) return pub.status();
  publisher_ = std::move(*pub);
  absl::StatusOr<std::unique_ptr<bus::ReplyServer>> snapshots =
      bus::ReplyServer::Create(runtime_.bus(), config_.snapshot_server(), "md-snapshots");
  if (!snapshots.ok()) return snapshots.status();
  snapshots_ = std::move(*snapshots);
  snapshots_->Handle<mdv1::SnapshotRequest, mdv1::SnapshotReply>(
      [this](const mdv1::SnapshotRequest& req, const bus::RequestContext&,
             mdv1::SnapshotReply* rep) { return OnSnapshotRequest(req, rep); });
  runtime_.poller().Add(*snapshots_);

  FeedContext ctx;
  ctx.engine = engine_.get();
  ctx.instruments = &instruments_;
  ctx.clock = &runtime_.clock();
  ctx.bad_input = [this](std::string_view feed, std::string_view where, std::string_view why) {
    BadInput(feed, where, why);
  };
  ctx.publish_bar = [this](const md::Bar& bar) { OnBar(bar); };
  for (int i = 0; i < config_.feeds_size(); ++i) {
    const config::v1::FeedConfig& f = config_.feeds(i);
    absl::StatusOr<std::unique_ptr<Feed>> feed;
    switch (f.source_case()) {
      case config::v1::FeedConfig::kReplay:
        feed = replay::CreateReplayFeed(f.replay(), ctx);
        break;
      case config::v1::FeedConfig::kSynthetic:
        feed = replay::CreateSyntheticSource(f.synthetic(), ctx);
        live_feeds_ = true;
        break;
      case config::v1::FeedConfig::kBinance: {
        replay::BinanceLiveFeedOptions live_options;
        live_options.on_connection_event = [](std::string_view name, std::string_view event) {
          telemetry::LogInfo("market data connection", {{"feed", name}, {"event", event}});
        };
        absl::StatusOr<std::unique_ptr<replay::BinanceLiveFeed>> live =
            replay::CreateBinanceLiveFeed(f.binance(), ctx, std::move(live_options));
        if (!live.ok()) {
          feed = live.status();
          break;
        }
        // Frames arrive on the feed's reader thread; its eventfd wakes the loop
        // at once rather than on the feed's next timed Step.
        replay::BinanceLiveFeed* l = live->get();
        runtime_.poller().AddFd(l->wake_fd(), [this, l] {
          if (feeds_held_) {
            l->ClearWake();  // the held feed's queue waits (bounded) until release
          } else {
            (void)l->Step();
          }
        });
        feed = std::move(*live);
        live_feeds_ = true;
        break;
      }
      default:
        feed = absl::InvalidArgumentError("no source (replay, binance or synthetic)");
    }
    if (!feed.ok())
      return absl::InvalidArgumentError(StrCat("feeds[", i, "]: ", ToStd(feed.status().message())));
    Feed* raw = feed->get();
    feeds_.push_back(std::move(*feed));
    runtime_.poller().AddWork([this, raw] {
      // Held feeds look again after a while; releasing them resets nothing.
      if (feeds_held_) return std::chrono::nanoseconds(std::chrono::milliseconds(10));
      return raw->Step();
    });
  }
  if (live_feeds_) {
    // Replays advance time with their own event times; live feeds need the clock.
    runtime_.poller().AddTimer(std::chrono::milliseconds(100),
                               [this] { engine_->OnTime(runtime_.clock().Now()); });
  }
  feeds_held_ = config_.hold_feeds();
  runtime_.poller().AddTimer(std::chrono::seconds(1), [this] { RefreshStatus(); });
  heartbeat_.set_service("market-data");
  uint32_t heartbeat_ms =
      config_.heartbeat_interval_ms() != 0 ? config_.heartbeat_interval_ms() : 1000;
  runtime_.poller().AddTimer(std::chrono::milliseconds(heartbeat_ms), [this] {
    heartbeat_.set_time_ns(runtime_.clock().Now().nanos());
    heartbeat_.set_state(feeds_held_ ? "feeds held" : "feeds running");
    (void)publisher_->Publish("md.heartbeat", heartbeat_);
  });
  runtime_.SetReady(true);
  telemetry::LogInfo("market data publishing",
                     {{"endpoint", publisher_->endpoint()},
                      {"snapshots", snapshots_->endpoint()},
                      {"instruments", static_cast<uint64_t>(instruments_.size())},
                      {"feeds", static_cast<uint64_t>(feeds_.size())}});
  return absl::OkStatus();
}

void MarketDataService::Publish(std::string_view topic, const google::protobuf::Message& message,
                                Timestamp event_time, int type, Timestamp receive_time) {
  absl::Status s = publisher_->Publish(topic, message, {.event_time_ns = event_time.nanos()});
  if (!s.ok()) {
    telemetry::LogWarn("publish failed", {{"topic", topic}, {"error", s}});
    return;
  }
  published_[type]->Increment();
  if (!live_feeds_) return;  // a replay's times are the recording's, not now's
  Timestamp now = runtime_.clock().Now();
  if (!event_time.is_zero()) {
    feed_latency_->Observe(static_cast<double>((now - event_time).count()) * 1e-9);
  }
  if (!receive_time.is_zero()) {
    handling_latency_->Observe(static_cast<double>((now - receive_time).count()) * 1e-9);
  }
}

void MarketDataService::OnQuote(const md::Quote& q) {
  instruments_.at(q.instrument).id.ToProto(quote_.mutable_instrument());
  quote_.set_bid_price(q.bid_price.raw());
  quote_.set_bid_qty(q.bid_qty.raw());
  quote_.set_ask_price(q.ask_price.raw());
  quote_.set_ask_qty(q.ask_qty.raw());
  quote_.set_exchange_time_ns(q.exchange_time.nanos());
  quote_.set_receive_time_ns(q.receive_time.nanos());
  Publish(topics_[q.instrument].quote, quote_, q.exchange_time, kQuote, q.receive_time);
  ++published_per_instrument_[q.instrument];
}

void MarketDataService::OnTrade(const md::Trade& t) {
  instruments_.at(t.instrument).id.ToProto(trade_.mutable_instrument());
  trade_.set_price(t.price.raw());
  trade_.set_qty(t.qty.raw());
  trade_.set_aggressor_side(t.aggressor);
  trade_.set_auction(t.aggressor == common::v1::SIDE_UNSPECIFIED);
  trade_.set_trade_id(StrCat(t.trade_id));
  trade_.set_exchange_time_ns(t.exchange_time.nanos());
  trade_.set_receive_time_ns(t.receive_time.nanos());
  size_t n = strnlen(t.participant, sizeof(t.participant));
  trade_.set_participant(t.participant, n);
  Publish(topics_[t.instrument].trade, trade_, t.exchange_time, kTrade, t.receive_time);
  ++published_per_instrument_[t.instrument];
}

void MarketDataService::OnBookDelta(const md::BookDelta& d) {
  instruments_.at(d.instrument).id.ToProto(delta_.mutable_instrument());
  SetLevels(d.bids, delta_.mutable_bids());
  SetLevels(d.asks, delta_.mutable_asks());
  delta_.set_book_sequence(d.book_sequence);
  delta_.set_venue_first_update_id(d.venue_first_update_id);
  delta_.set_venue_last_update_id(d.venue_last_update_id);
  delta_.set_exchange_time_ns(d.exchange_time.nanos());
  delta_.set_receive_time_ns(d.receive_time.nanos());
  Publish(topics_[d.instrument].book, delta_, d.exchange_time, kBookDelta, d.receive_time);
  ++published_per_instrument_[d.instrument];
}

void MarketDataService::ToProto(const md::BookSnapshot& s, mdv1::BookSnapshot* out) const {
  instruments_.at(s.instrument).id.ToProto(out->mutable_instrument());
  SetLevels(s.view.bids, out->mutable_bids());
  SetLevels(s.view.asks, out->mutable_asks());
  out->set_book_sequence(s.book_sequence);
  out->set_venue_update_id(s.venue_update_id);
  out->set_exchange_time_ns(s.exchange_time.nanos());
}

void MarketDataService::OnBookSnapshot(const md::BookSnapshot& s) {
  ToProto(s, &snapshot_);
  Publish(topics_[s.instrument].book, snapshot_, s.exchange_time, kBookSnapshot);
  ++published_per_instrument_[s.instrument];
}

void MarketDataService::OnBar(const md::Bar& b) {
  instruments_.at(b.instrument).id.ToProto(bar_.mutable_instrument());
  bar_.set_interval_ns(b.interval.count());
  bar_.set_open_time_ns(b.open_time.nanos());
  bar_.set_open(b.open.raw());
  bar_.set_high(b.high.raw());
  bar_.set_low(b.low.raw());
  bar_.set_close(b.close.raw());
  bar_.set_volume(b.volume.raw());
  bar_.set_vwap(b.vwap.raw());
  bar_.set_trade_count(b.trade_count);
  size_t k = 0;
  for (; k < static_cast<size_t>(config_.bar_intervals_s().size()); ++k) {
    if (std::chrono::seconds(config_.bar_intervals_s(static_cast<int>(k))) == b.interval) break;
  }
  std::string topic =
      k < topics_[b.instrument].bars.size()
          ? topics_[b.instrument].bars[k]
          : bus::QualifiedInstrumentTopic(
                "md", "bar",
                IntervalName(static_cast<uint32_t>(
                    std::chrono::duration_cast<std::chrono::seconds>(b.interval).count())),
                bar_.instrument());
  Publish(topic, bar_, b.open_time + b.interval, kBar);
}

void MarketDataService::OnStatus(InstrumentIndex instrument, md::FeedStatus status,
                                 std::string_view reason, Timestamp last_update) {
  instruments_.at(instrument).id.ToProto(status_.mutable_instrument());
  status_.set_status(status);
  status_.set_reason(std::string(reason));
  status_.set_last_update_ns(last_update.nanos());
  Publish(topics_[instrument].status, status_, last_update, kStatus);
  telemetry::LogInfo("instrument status",
                     {{"instrument", instruments_.at(instrument).id.ToString()},
                      {"status", ShortEnumName(status)},
                      {"reason", reason}});
}

absl::Status MarketDataService::OnSnapshotRequest(const mdv1::SnapshotRequest& request,
                                                  mdv1::SnapshotReply* reply) {
  snapshot_requests_->Increment();
  std::vector<InstrumentIndex> wanted;
  if (request.instruments().empty()) {
    for (InstrumentIndex i = 0; i < instruments_.size(); ++i) wanted.push_back(i);
  } else {
    for (const common::v1::InstrumentId& id : request.instruments()) {
      std::optional<InstrumentIndex> i = instruments_.Find(InstrumentId::FromProto(id));
      if (!i) {
        return absl::NotFoundError(
            StrCat("unknown instrument ", InstrumentId::FromProto(id).ToString()));
      }
      wanted.push_back(*i);
    }
  }
  for (InstrumentIndex i : wanted) {
    md::BookSnapshot s;
    if (engine_->Snapshot(i, config_.book_depth(), &s)) ToProto(s, reply->add_books());
    const Topics& t = topics_[i];
    for (const std::string* topic : {&t.quote, &t.trade, &t.book, &t.status}) {
      (*reply->mutable_topic_sequences())[*topic] = publisher_->LastSequence(*topic);
    }
  }
  return absl::OkStatus();
}

grpc::Status MarketDataService::GetBook(grpc::ServerContext*,
                                        const admin::v1::GetBookRequest* request,
                                        mdv1::BookSnapshot* response) {
  absl::StatusOr<mdv1::BookSnapshot> book = runtime_.executor().Call<mdv1::BookSnapshot>(
      [this, request]() -> absl::StatusOr<mdv1::BookSnapshot> {
        InstrumentId id = InstrumentId::FromProto(request->instrument());
        std::optional<InstrumentIndex> i = instruments_.Find(id);
        if (!i) return absl::NotFoundError(StrCat("unknown instrument ", id.ToString()));
        md::BookSnapshot s;
        size_t depth = request->depth() == 0 ? 10 : request->depth();
        if (!engine_->Snapshot(*i, depth, &s)) {
          return absl::UnavailableError(StrCat(id.ToString(), " has no synced book (",
                                               ShortEnumName(engine_->status(*i)), ")"));
        }
        mdv1::BookSnapshot out;
        ToProto(s, &out);
        return out;
      });
  if (!book.ok()) return admin::ToGrpc(book.status());
  *response = std::move(*book);
  return grpc::Status::OK;
}

grpc::Status MarketDataService::ReleaseFeeds(grpc::ServerContext* context,
                                             const admin::v1::ReleaseFeedsRequest* request,
                                             admin::v1::ReleaseFeedsResponse* response) {
  std::string caller = admin::CallerName(*context);
  absl::StatusOr<uint32_t> released =
      runtime_.executor().Call<uint32_t>([this]() -> absl::StatusOr<uint32_t> {
        uint32_t n = feeds_held_ ? static_cast<uint32_t>(feeds_.size()) : 0;
        feeds_held_ = false;
        return n;
      });
  if (!released.ok()) return admin::ToGrpc(released.status());
  runtime_.audit().Record({.actor = caller,
                           .action = "MarketDataAdmin.ReleaseFeeds",
                           .target = "feeds",
                           .reason = request->reason(),
                           .details_json = StrCat(R"({"released":)", *released, "}")});
  response->set_feeds_released(*released);
  return grpc::Status::OK;
}

void MarketDataService::BadInput(std::string_view feed, std::string_view where,
                                 std::string_view reason) {
  bad_input_->Increment();
  telemetry::LogWarn("market data input refused",
                     {{"feed", feed}, {"where", where}, {"reason", reason}});
}

void MarketDataService::RefreshStatus() {
  uint64_t events = 0;
  bool all_replays_done = true;
  for (const auto& f : feeds_) {
    events += f->events();
    if (!f->finished()) all_replays_done = false;
  }
  feed_events_->Set(static_cast<double>(events));
  const md::MarketDataCounters& c = engine_->counters();
  refused_updates_->Increment(static_cast<double>(c.refused_deltas - counted_refused_));
  resyncs_->Increment(static_cast<double>(c.resyncs - counted_resyncs_));
  counted_refused_ = c.refused_deltas;
  counted_resyncs_ = c.resyncs;
  int stale = 0;
  std::vector<InstrumentStatus> copy(instruments_.size());
  for (InstrumentIndex i = 0; i < instruments_.size(); ++i) {
    copy[i].id = instruments_.at(i).id.ToString();
    copy[i].book_sequence = engine_->book_sequence(i);
    copy[i].last_update_ns = engine_->last_update(i).nanos();
    copy[i].status = std::string(ShortEnumName(engine_->status(i)));
    copy[i].messages = published_per_instrument_[i];
    if (engine_->status(i) == mdv1::FEED_STATUS_STALE) ++stale;
  }
  stale_instruments_->Set(stale);
  if (all_replays_done && !feeds_.empty() && !replays_finished_) {
    replays_finished_ = true;
    telemetry::LogInfo("all feeds finished", {{"events", events}});
  }
  std::lock_guard<std::mutex> lock(status_mu_);
  events_per_second_ = static_cast<double>(events - events_total_);
  events_total_ = events;
  status_copy_ = std::move(copy);
}

void MarketDataService::FillStatus(admin::v1::ServiceStatus* status) {
  std::lock_guard<std::mutex> lock(status_mu_);
  auto counter = [&](std::string name, double value) {
    admin::v1::Counter* c = status->add_counters();
    c->set_name(std::move(name));
    c->set_value(value);
  };
  counter("feed_events", static_cast<double>(events_total_));
  counter("events_per_s", events_per_second_);
  int64_t now = runtime_.clock().Now().nanos();
  for (const InstrumentStatus& s : status_copy_) {
    (*status->mutable_details())[s.id] =
        StrCat(s.status, " seq=", s.book_sequence, " msgs=", s.messages,
               " age_ms=", s.last_update_ns == 0 ? -1 : (now - s.last_update_ns) / 1'000'000);
  }
}

}  // namespace tradeplane::market_data
