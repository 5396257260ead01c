// BinanceVenue's user-data stream: listen key, WebSocket, keep-alive,
// reconnect with backoff, and the gap flag after a reconnect.
#include <thread>

#include "tradeplane/binance_venue/binance_venue.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/websocket_client.h"

namespace tradeplane::binance_venue {
namespace {

constexpr auto kReceiveSlice = std::chrono::milliseconds(250);  // how soon a stop is noticed
constexpr size_t kMaxQuotedMessage = 200;

}  // namespace

void BinanceVenue::StartUserStream() {
  if (stream_thread_ != nullptr) return;
  stop_.store(false);
  stream_thread_ = std::make_unique<std::thread>([this] { StreamLoop(); });
}

void BinanceVenue::StopUserStream() {
  if (stream_thread_ == nullptr) return;
  stop_.store(true);
  stream_thread_->join();
  stream_thread_.reset();
}

void BinanceVenue::Push(execution::VenueUpdate update) {
  {
    std::lock_guard<std::mutex> lock(updates_mu_);
    updates_.push_back(std::move(update));
    ++stats_.events;
  }
  if (notify_) notify_();
}

void BinanceVenue::PushError(std::string error) {
  {
    std::lock_guard<std::mutex> lock(updates_mu_);
    stream_errors_.push_back(std::move(error));
    ++stats_.parse_errors;
  }
  if (notify_) notify_();
}

void BinanceVenue::StreamLoop() {
  net::HttpClient http(net::HttpClientOptions{.tls = options_.tls});
  net::WebSocketClient ws(net::WebSocketClientOptions{.tls = options_.tls});
  std::chrono::milliseconds backoff = options_.reconnect_backoff;
  bool connected_before = false;
  auto wait = [&](std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (!stop_.load() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(50), until - std::chrono::steady_clock::now()));
    }
  };
  auto back_off = [&] {
    wait(backoff);
    backoff = std::min(backoff * 2, options_.max_reconnect_backoff);
  };
  std::string listen_key;
  while (!stop_.load()) {
    if (listen_key.empty()) {
      CallSpec create{.method = "POST",
                      .path = "/api/v3/userDataStream",
                      .kind = signer::v1::REQUEST_KIND_USER_STREAM};
      absl::StatusOr<std::string> body = CallOn(http, create);
      absl::StatusOr<std::string> key =
          body.ok() ? ParseListenKey(*body) : absl::StatusOr<std::string>(body.status());
      if (!key.ok()) {
        back_off();
        continue;
      }
      listen_key = *key;
    }
    absl::Status connected =
        ws.Connect(StrCat(options_.ws_url, "/ws/", listen_key), options_.timeout);
    if (!connected.ok()) {
      // The key may have expired while we were away: make a new one.
      listen_key.clear();
      back_off();
      continue;
    }
    backoff = options_.reconnect_backoff;
    {
      std::lock_guard<std::mutex> lock(updates_mu_);
      stats_.connected = true;
      ++stats_.connects;
    }
    if (connected_before) {
      gap_.store(true);
      if (notify_) notify_();
    }
    connected_before = true;
    auto next_keepalive = std::chrono::steady_clock::now() + options_.keepalive_interval;
    while (!stop_.load()) {
      absl::StatusOr<std::string> frame = ws.Receive(kReceiveSlice);
      if (frame.ok()) {
        absl::StatusOr<StreamEvent> event = ParseStreamEvent(*frame, json());
        if (!event.ok()) {
          PushError(StrCat("user data stream: ", ToStd(event.status().message()), ": ",
                           frame->substr(0, kMaxQuotedMessage)));
          continue;
        }
        if (event->kind == StreamEvent::Kind::kListenKeyExpired) {
          listen_key.clear();
          break;
        }
        if (event->kind == StreamEvent::Kind::kExecutionReport) {
          Remember(event->update.order);
          Push(std::move(event->update));
        }
        continue;
      }
      if (!absl::IsDeadlineExceeded(frame.status())) break;  // the connection is over
      if (std::chrono::steady_clock::now() >= next_keepalive) {
        CallSpec keepalive{.method = "PUT",
                           .path = "/api/v3/userDataStream",
                           .kind = signer::v1::REQUEST_KIND_USER_STREAM};
        keepalive.params = {{"listenKey", listen_key}};
        absl::StatusOr<std::string> kept = CallOn(http, keepalive);
        next_keepalive = std::chrono::steady_clock::now() + options_.keepalive_interval;
        if (kept.ok()) {
          std::lock_guard<std::mutex> lock(updates_mu_);
          ++stats_.keepalives;
        } else {
          // The key is gone (or the venue refuses it): start over with a new one.
          listen_key.clear();
          break;
        }
      }
    }
    (void)ws.Close(std::chrono::milliseconds(500));
    {
      std::lock_guard<std::mutex> lock(updates_mu_);
      stats_.connected = false;
    }
    if (!stop_.load()) back_off();
  }
  if (!listen_key.empty()) {
    CallSpec close{.method = "DELETE",
                   .path = "/api/v3/userDataStream",
                   .kind = signer::v1::REQUEST_KIND_USER_STREAM};
    close.params = {{"listenKey", listen_key}};
    (void)CallOn(http, close);
  }
}

}  // namespace tradeplane::binance_venue
