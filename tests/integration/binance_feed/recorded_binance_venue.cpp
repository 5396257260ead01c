#include "recorded_binance_venue.h"

#include <algorithm>
#include <fstream>
#include <utility>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/query_string.h"

namespace tradeplane::testing {

namespace md = marketdata;

absl::StatusOr<std::unique_ptr<RecordedBinanceVenue>> RecordedBinanceVenue::Start(
    const std::string& ws_log, const std::string& rest_log) {
  std::unique_ptr<RecordedBinanceVenue> venue(new RecordedBinanceVenue());
  std::ifstream frames(ws_log);
  std::string line;
  if (!frames || !std::getline(frames, line)) {
    return absl::NotFoundError(StrCat("cannot read '", ws_log, "'"));
  }
  absl::StatusOr<md::BinanceWsLogHeader> header = md::ParseBinanceWsLogHeader(line);
  if (!header.ok()) return header.status();
  venue->market_ = header->market;
  while (std::getline(frames, line)) {
    if (line.empty()) continue;
    absl::StatusOr<md::BinanceFrame> f = md::ParseBinanceWsLogLine(line);
    if (!f.ok()) return f.status();
    Frame frame;
    frame.json = line.substr(line.find(": ") + 2);
    frame.kind = f->kind;
    if (f->kind == md::BinanceEventKind::kDepthUpdate) frame.depth = f->depth;
    venue->frames_.push_back(std::move(frame));
  }

  std::ifstream rest(rest_log);
  if (!rest) return absl::NotFoundError(StrCat("cannot read '", rest_log, "'"));
  while (std::getline(rest, line)) {
    if (line.empty()) continue;
    absl::StatusOr<md::BinanceDepthSnapshot> snap = md::ParseBinanceRestLogLine(line);
    if (!snap.ok()) return snap.status();
    if (venue->books_.count(snap->symbol) != 0) continue;  // the first snapshot seeds the book
    md::BinanceBookSyncOptions o;
    o.market = venue->market_;
    o.symbol = snap->symbol;
    o.book.max_depth = 5000;  // the venue's whole book; requests take the top
    auto sync = std::make_unique<md::BinanceBookSync>(o);
    absl::Status s = sync->OnSnapshot(*snap);
    if (!s.ok()) return s;
    venue->books_.emplace(snap->symbol, std::move(sync));
  }

  RecordedBinanceVenue* raw = venue.get();
  net::WebSocketServer::Callbacks cb;
  cb.accept = [raw](const net::HttpRequest& req) {
    if (req.path != "/stream") return net::WebSocketAcceptDecision::Refuse(404, "unknown path");
    std::lock_guard<std::mutex> lock(raw->mu_);
    raw->last_query_ = req.raw_query;
    return net::WebSocketAcceptDecision::Accept();
  };
  cb.on_open = [raw](net::ConnectionId, const net::HttpRequest&) { raw->accepted_.fetch_add(1); };
  absl::StatusOr<std::unique_ptr<net::WebSocketServer>> ws =
      net::WebSocketServer::Start({}, std::move(cb));
  if (!ws.ok()) return ws.status();
  venue->ws_ = std::move(*ws);
  absl::StatusOr<std::unique_ptr<net::HttpServer>> http =
      net::HttpServer::Start({}, [raw](const net::HttpRequest& req) { return raw->Depth(req); });
  if (!http.ok()) return http.status();
  venue->http_ = std::move(*http);
  return venue;
}

RecordedBinanceVenue::~RecordedBinanceVenue() {
  if (http_) http_->Stop();
  if (ws_) ws_->Stop();
}

std::string RecordedBinanceVenue::ws_url() const { return StrCat("ws://", ws_->address()); }
std::string RecordedBinanceVenue::rest_url() const { return StrCat("http://", http_->address()); }

std::string RecordedBinanceVenue::last_stream_query() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_query_;
}

uint64_t RecordedBinanceVenue::snapshots_served(const std::string& symbol) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = served_.find(symbol);
  return it == served_.end() ? 0 : it->second;
}

void RecordedBinanceVenue::Pass(const Frame& frame) {
  if (frame.kind != md::BinanceEventKind::kDepthUpdate) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = books_.find(frame.depth.symbol);
  if (it == books_.end()) return;
  // Updates the recorded snapshot already contains are dropped by the sync.
  (void)it->second->OnDepthUpdate(frame.depth);
}

size_t RecordedBinanceVenue::SendFrames(size_t n) {
  size_t passed = 0;
  for (; passed < n && next_frame_ < frames_.size(); ++passed) {
    const Frame& f = frames_[next_frame_++];
    Pass(f);
    (void)ws_->Broadcast(f.json);
  }
  return passed;
}

bool RecordedBinanceVenue::SkipFrame() {
  if (next_frame_ >= frames_.size()) return false;
  Pass(frames_[next_frame_++]);
  return true;
}

md::BinanceEventKind RecordedBinanceVenue::NextFrameKind() const {
  return next_frame_ < frames_.size() ? frames_[next_frame_].kind : md::BinanceEventKind::kNone;
}

std::string RecordedBinanceVenue::NextDepthSymbol() const {
  return NextFrameKind() == md::BinanceEventKind::kDepthUpdate ? frames_[next_frame_].depth.symbol
                                                               : std::string();
}

void RecordedBinanceVenue::SendRaw(std::string text) { (void)ws_->Broadcast(std::move(text)); }

void RecordedBinanceVenue::DropConnections() {
  // The server reports no list of ids; they are numbered from 1.
  for (net::ConnectionId id = 1; id <= accepted_.load(); ++id) (void)ws_->Drop(id);
}

net::HttpResponse RecordedBinanceVenue::Depth(const net::HttpRequest& request) {
  bool spot_path = request.path == "/api/v3/depth";
  bool futures_path = request.path == "/fapi/v1/depth";
  if (!spot_path && !futures_path) {
    return net::HttpResponse::Json(404, R"({"code":-1,"msg":"unknown path"})");
  }
  if (refuse_snapshots_.load()) {
    net::HttpResponse r =
        net::HttpResponse::Json(429, R"({"code":-1003,"msg":"Too many requests."})");
    r.headers.Set("Retry-After", "0");
    return r;
  }
  absl::StatusOr<std::vector<net::QueryParam>> query = request.Query();
  const std::string* symbol = query.ok() ? net::FindQueryValue(*query, "symbol") : nullptr;
  const std::string* limit_text = query.ok() ? net::FindQueryValue(*query, "limit") : nullptr;
  size_t limit = limit_text != nullptr ? std::stoul(*limit_text) : 100;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = symbol != nullptr ? books_.find(*symbol) : books_.end();
  if (it == books_.end()) {
    return net::HttpResponse::Json(400, R"({"code":-1121,"msg":"Invalid symbol."})");
  }
  ++served_[*symbol];
  const md::OrderBook& book = it->second->book();
  auto levels = [&](md::BookSide side) {
    std::vector<md::BookLevel> out(std::min(limit, book.Depth(side)));
    out.resize(book.TopLevels(side, out));
    std::string json = "[";
    for (size_t i = 0; i < out.size(); ++i) {
      StrAppend(&json, i == 0 ? "" : ",", "[\"", out[i].price.ToString(), "\",\"",
                out[i].qty.ToString(), "\"]");
    }
    return json + "]";
  };
  std::string body = StrCat("{\"lastUpdateId\":", it->second->last_update_id());
  if (market_ == md::BinanceMarket::kUsdmFutures) {
    int64_t ms = book.exchange_time().nanos() / 1'000'000;
    StrAppend(&body, ",\"E\":", ms, ",\"T\":", ms);
  }
  StrAppend(&body, ",\"bids\":", levels(md::BookSide::kBid),
            ",\"asks\":", levels(md::BookSide::kAsk), "}");
  return net::HttpResponse::Json(200, std::move(body));
}

}  // namespace tradeplane::testing
