#include "stream_hub.h"

#include <algorithm>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/query_string.h"

#include "json_out.h"
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace tradeplane::venue_sim {
namespace {

constexpr size_t kListenKeyLength = 60;
constexpr int kMaxBadMessages = 10;
constexpr size_t kMaxStreamsPerConnection = 1024;  // Binance's limit

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsListenKeyText(std::string_view s) {
  if (s.size() != kListenKeyLength) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

}  // namespace

StreamHub::StreamHub(std::vector<std::string> symbols, std::chrono::seconds listen_key_ttl,
                     Metrics metrics)
    : symbols_(std::move(symbols)),
      ttl_(listen_key_ttl),
      metrics_(metrics),
      random_(std::random_device{}()) {
  for (const std::string& s : symbols_) lower_symbols_.push_back(Lower(s));
}

StreamHub::~StreamHub() { Stop(); }

absl::Status StreamHub::Start(net::WebSocketServerOptions options) {
  net::WebSocketServer::Callbacks cb;
  cb.accept = [this](const net::HttpRequest& r) { return OnAccept(r); };
  cb.on_open = [this](net::ConnectionId id, const net::HttpRequest& r) { OnOpen(id, r); };
  cb.on_message = [this](net::ConnectionId id, std::string_view m) { OnMessage(id, m); };
  cb.on_close = [this](net::ConnectionId id, const net::WebSocketCloseInfo&) { OnClose(id); };
  absl::StatusOr<std::unique_ptr<net::WebSocketServer>> server =
      net::WebSocketServer::Start(std::move(options), std::move(cb));
  if (!server.ok()) return server.status();
  std::lock_guard<std::mutex> lock(mu_);
  port_ = (*server)->port();
  server_ = std::move(*server);
  return absl::OkStatus();
}

void StreamHub::Stop() {
  std::unique_ptr<net::WebSocketServer> server;
  {
    std::lock_guard<std::mutex> lock(mu_);
    server = std::move(server_);
  }
  // Without the lock: stopping calls on_close, which takes it.
  if (server != nullptr) server->Stop();
  std::lock_guard<std::mutex> lock(mu_);
  connections_.clear();
  if (metrics_.connections != nullptr) metrics_.connections->Set(0);
}

uint16_t StreamHub::port() const {
  std::lock_guard<std::mutex> lock(mu_);
  return port_;
}

std::optional<StreamHub::Stream> StreamHub::ParseStream(std::string_view name,
                                                        std::string* why) const {
  Stream s;
  s.name = std::string(name);
  size_t at = name.find('@');
  if (at == std::string_view::npos) {
    auto it = listen_keys_.find(std::string(name));
    if (it == listen_keys_.end()) {
      *why = IsListenKeyText(name) ? "This listenKey does not exist."
                                   : StrCat("Invalid stream name '", name, "'.");
      return std::nullopt;
    }
    s.user = true;
    s.listen_key = std::string(name);
    return s;
  }
  std::string symbol = Lower(name.substr(0, at));
  auto sym = std::find(lower_symbols_.begin(), lower_symbols_.end(), symbol);
  if (sym == lower_symbols_.end()) {
    *why = StrCat("Invalid symbol in stream name '", name, "'.");
    return std::nullopt;
  }
  s.instrument = static_cast<InstrumentIndex>(sym - lower_symbols_.begin());
  std::string_view kind = name.substr(at + 1);
  if (kind == "depth@100ms" || kind == "depth" || kind == "depth@1000ms") {
    s.kind = MarketStream::kDepth;
  } else if (kind == "bookTicker") {
    s.kind = MarketStream::kBookTicker;
  } else if (kind == "aggTrade") {
    s.kind = MarketStream::kAggTrade;
  } else if (kind == "trade") {
    s.kind = MarketStream::kTrade;
  } else {
    *why = StrCat("Unsupported stream '", name,
                  "' (the simulator serves @depth@100ms, @depth, @bookTicker, @aggTrade, @trade).");
    return std::nullopt;
  }
  return s;
}

bool StreamHub::ParsePath(const net::HttpRequest& request, bool* combined,
                          std::vector<Stream>* streams, std::string* why) const {
  std::vector<std::string> names;
  if (request.path == "/ws" || request.path == "/ws/") {
    *combined = false;
  } else if (request.path.starts_with("/ws/")) {
    *combined = false;
    names.push_back(request.path.substr(4));
  } else if (request.path == "/stream") {
    *combined = true;
    absl::StatusOr<std::vector<net::QueryParam>> q = request.Query();
    if (!q.ok()) {
      *why = "Malformed query string.";
      return false;
    }
    if (const std::string* list = net::FindQueryValue(*q, "streams")) {
      size_t start = 0;
      while (start <= list->size()) {
        size_t end = list->find('/', start);
        if (end == std::string::npos) end = list->size();
        if (end > start) names.push_back(list->substr(start, end - start));
        start = end + 1;
      }
    }
  } else {
    *why = "Unknown path: streams are under /ws/<stream> and /stream?streams=<a>/<b>.";
    return false;
  }
  if (names.size() > kMaxStreamsPerConnection) {
    *why = "Too many streams for one connection.";
    return false;
  }
  for (const std::string& n : names) {
    std::optional<Stream> s = ParseStream(n, why);
    if (!s) return false;
    streams->push_back(std::move(*s));
  }
  return true;
}

net::WebSocketAcceptDecision StreamHub::OnAccept(const net::HttpRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  bool combined = false;
  std::vector<Stream> streams;
  std::string why;
  if (ParsePath(request, &combined, &streams, &why)) return net::WebSocketAcceptDecision::Accept();
  if (metrics_.refused != nullptr) metrics_.refused->Increment();
  bool unknown_path = !request.path.starts_with("/ws") && request.path != "/stream";
  JsonOut body;
  body.BeginObject().Num("code", unknown_path ? -1000 : -1121).Str("msg", why).EndObject();
  auto decision = net::WebSocketAcceptDecision::Refuse(unknown_path ? 404 : 400, body.Take());
  decision.refusal.headers.Set("Content-Type", "application/json");
  return decision;
}

void StreamHub::OnOpen(net::ConnectionId id, const net::HttpRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  Connection c;
  std::string why;
  // Parsed again: a listen key may have gone since the accept; what is
  // still valid is kept.
  ParsePath(request, &c.combined, &c.streams, &why);
  connections_[id] = std::move(c);
  if (metrics_.connections != nullptr) {
    metrics_.connections->Set(static_cast<double>(connections_.size()));
  }
}

void StreamHub::OnClose(net::ConnectionId id) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(id);
  if (metrics_.connections != nullptr) {
    metrics_.connections->Set(static_cast<double>(connections_.size()));
  }
}

void StreamHub::Reply(net::ConnectionId id, const std::string& text) {
  if (server_ != nullptr) (void)server_->Send(id, text);
}

void StreamHub::BadMessage(net::ConnectionId id, Connection& c, int code, std::string_view msg,
                           std::string_view request_id_json) {
  ++bad_messages_;
  if (metrics_.bad_messages != nullptr) metrics_.bad_messages->Increment();
  JsonOut out;
  out.BeginObject().Key("error").BeginObject().Num("code", code).Str("msg", msg).EndObject();
  out.Key("id");
  if (request_id_json.empty()) {
    out.Null();
  } else {
    out.Raw(request_id_json);
  }
  out.EndObject();
  Reply(id, out.Take());
  if (++c.bad_messages >= kMaxBadMessages && server_ != nullptr) {
    (void)server_->Close(id, 1008, "too many invalid messages");
  }
}

void StreamHub::OnMessage(net::ConnectionId id, std::string_view message) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& c = it->second;
  rapidjson::Document doc;
  doc.Parse(message.data(), message.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return BadMessage(id, c, 3, "Invalid JSON: expected {\"method\":...,\"params\":[...],\"id\":n}",
                      "");
  }
  // Through a const view: clang finds a non-const iterator's == ambiguous
  // with its C++20 reversed form.
  const rapidjson::Value& root = doc;
  std::string id_json;
  auto id_member = root.FindMember("id");
  if (id_member != root.MemberEnd()) {
    if (id_member->value.IsUint64()) {
      id_json = std::to_string(id_member->value.GetUint64());
    } else if (id_member->value.IsString() && id_member->value.GetStringLength() <= 36) {
      JsonOut s;
      s.String(std::string_view(id_member->value.GetString(), id_member->value.GetStringLength()));
      id_json = s.Take();
    } else if (!id_member->value.IsNull()) {
      return BadMessage(id, c, 2, "Invalid request: request ID must be an unsigned integer", "");
    }
  }
  auto method = root.FindMember("method");
  if (method == root.MemberEnd() || !method->value.IsString()) {
    return BadMessage(id, c, 2, "Invalid request: missing method", id_json);
  }
  std::string_view m(method->value.GetString(), method->value.GetStringLength());
  auto reply_null = [&] {
    Reply(id, StrCat("{\"result\":null,\"id\":", id_json.empty() ? "null" : id_json, "}"));
  };
  if (m == "LIST_SUBSCRIPTIONS") {
    JsonOut out;
    out.BeginObject().Key("result").BeginArray();
    for (const Stream& s : c.streams) out.String(s.name);
    out.EndArray().Key("id");
    if (id_json.empty()) {
      out.Null();
    } else {
      out.Raw(id_json);
    }
    out.EndObject();
    return Reply(id, out.Take());
  }
  if (m != "SUBSCRIBE" && m != "UNSUBSCRIBE") {
    return BadMessage(id, c, 2, StrCat("Invalid request: unknown method '", m, "'"), id_json);
  }
  auto params = root.FindMember("params");
  if (params == root.MemberEnd() || !params->value.IsArray()) {
    return BadMessage(id, c, 2, "Invalid request: params must be an array of stream names",
                      id_json);
  }
  std::vector<std::string> names;
  for (const auto& p : params->value.GetArray()) {
    if (!p.IsString()) {
      return BadMessage(id, c, 1, "Invalid value type: stream names are strings", id_json);
    }
    names.emplace_back(p.GetString(), p.GetStringLength());
  }
  if (m == "SUBSCRIBE") {
    std::vector<Stream> added;
    for (const std::string& n : names) {
      std::string why;
      std::optional<Stream> s = ParseStream(n, &why);
      if (!s) return BadMessage(id, c, 2, StrCat("Invalid request: ", why), id_json);
      added.push_back(std::move(*s));
    }
    for (Stream& s : added) {
      bool already = std::any_of(c.streams.begin(), c.streams.end(),
                                 [&](const Stream& e) { return e.name == s.name; });
      if (!already && c.streams.size() < kMaxStreamsPerConnection) {
        c.streams.push_back(std::move(s));
      }
    }
  } else {
    std::erase_if(c.streams, [&](const Stream& s) {
      return std::find(names.begin(), names.end(), s.name) != names.end();
    });
  }
  reply_null();
}

void StreamHub::Send(net::ConnectionId id, const Connection& c, const Stream& s,
                     const std::string& data) {
  if (server_ == nullptr) return;
  std::string frame =
      c.combined ? StrCat("{\"stream\":\"", s.name, "\",\"data\":", data, "}") : data;
  if (server_->Send(id, std::move(frame)).ok()) {
    ++frames_;
    if (metrics_.frames != nullptr) metrics_.frames->Increment();
  }
}

void StreamHub::PublishMarket(InstrumentIndex instrument, MarketStream stream,
                              const std::string& data) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, c] : connections_) {
    for (const Stream& s : c.streams) {
      if (!s.user && s.instrument == instrument && s.kind == stream) Send(id, c, s, data);
    }
  }
}

void StreamHub::PublishUser(AccountId account, const std::string& data) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, c] : connections_) {
    for (const Stream& s : c.streams) {
      if (!s.user) continue;
      auto key = listen_keys_.find(s.listen_key);
      if (key != listen_keys_.end() && key->second.account == account) Send(id, c, s, data);
    }
  }
}

std::string StreamHub::CreateListenKey(AccountId account) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [key, k] : listen_keys_) {
    if (k.account == account) {
      k.last_keepalive_ns = MonotonicNanos();
      return key;
    }
  }
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string key(kListenKeyLength, '0');
  for (char& ch : key) ch = kAlphabet[random_() % (sizeof(kAlphabet) - 1)];
  listen_keys_[key] = ListenKey{account, MonotonicNanos()};
  return key;
}

bool StreamHub::KeepAlive(std::string_view key, AccountId account) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = listen_keys_.find(std::string(key));
  if (it == listen_keys_.end() || it->second.account != account) return false;
  it->second.last_keepalive_ns = MonotonicNanos();
  return true;
}

bool StreamHub::CloseListenKey(std::string_view key, AccountId account) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = listen_keys_.find(std::string(key));
  if (it == listen_keys_.end() || it->second.account != account) return false;
  std::string k = it->first;
  listen_keys_.erase(it);
  EndUserStreams(k);
  return true;
}

void StreamHub::EndUserStreams(const std::string& key) {
  for (auto& [id, c] : connections_) {
    bool had = std::any_of(c.streams.begin(), c.streams.end(),
                           [&](const Stream& s) { return s.user && s.listen_key == key; });
    if (!had) continue;
    JsonOut out;
    out.BeginObject()
        .Str("e", "listenKeyExpired")
        .Num("E", SystemClock::Instance().Now().millis())
        .Str("listenKey", key)
        .EndObject();
    Stream expired;
    expired.name = key;
    Send(id, c, expired, out.Take());
    std::erase_if(c.streams, [&](const Stream& s) { return s.user && s.listen_key == key; });
    // A connection that carried only this stream has nothing left: it ends.
    if (!c.combined && c.streams.empty() && server_ != nullptr) {
      (void)server_->Close(id, 1000, "listen key expired");
    }
  }
}

size_t StreamHub::ExpireListenKeys(bool all) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = MonotonicNanos();
  int64_t ttl_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(ttl_).count();
  std::vector<std::string> expired;
  for (const auto& [key, k] : listen_keys_) {
    if (all || now - k.last_keepalive_ns > ttl_ns) expired.push_back(key);
  }
  for (const std::string& key : expired) {
    listen_keys_.erase(key);
    EndUserStreams(key);
  }
  return expired.size();
}

void StreamHub::ForgetListenKeys() {
  std::lock_guard<std::mutex> lock(mu_);
  listen_keys_.clear();
}

size_t StreamHub::Disconnect(std::optional<InstrumentIndex> instrument) {
  std::lock_guard<std::mutex> lock(mu_);
  if (server_ == nullptr) return 0;
  size_t n = 0;
  for (const auto& [id, c] : connections_) {
    bool hit = !instrument || std::any_of(c.streams.begin(), c.streams.end(), [&](const Stream& s) {
      return !s.user && s.instrument == *instrument;
    });
    if (hit && server_->Drop(id).ok()) ++n;
  }
  return n;
}

StreamHub::Stats StreamHub::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s;
  s.connections = connections_.size();
  for (const auto& [id, c] : connections_) {
    for (const Stream& st : c.streams) {
      if (st.user) {
        ++s.user_subscriptions;
      } else {
        ++s.market_subscriptions;
      }
    }
  }
  s.listen_keys = listen_keys_.size();
  s.frames = frames_;
  s.bad_messages = bad_messages_;
  return s;
}

}  // namespace tradeplane::venue_sim
