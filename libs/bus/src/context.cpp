#include "tradeplane/bus/context.h"

#include <cstring>
#include <fstream>
#include <future>

#include "tradeplane/core/ids.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

#include "context_impl.h"

namespace tradeplane::bus {
namespace {

// Lines of a key list file: "name:<z85>" (or a pair file's "public: <z85>"),
// blank lines and '#' comments skipped, spaces trimmed.
absl::StatusOr<std::vector<std::string>> ReadKeyLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(StrCat("cannot read '", path, "'"));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::erase_if(line, [](char c) { return c == ' ' || c == '\r' || c == '\t'; });
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

}  // namespace

BusContext::BusContext(BusIdentity identity, const config::v1::BusConfig& config,
                       telemetry::MetricsRegistry* metrics, const Clock& clock)
    : identity_(std::move(identity)), config_(config), metrics_(metrics), clock_(clock) {
  if (identity_.incarnation == 0) {
    SystemRandom random;
    do {
      identity_.incarnation = random.Next();
    } while (identity_.incarnation == 0);
  }
  if (config_.max_message_bytes() == 0) config_.set_max_message_bytes(kDefaultMaxMessageBytes);
  if (config_.default_hwm() == 0) config_.set_default_hwm(kDefaultHwm);
  if (config_.reply_cache_size() == 0) config_.set_reply_cache_size(kDefaultReplyCacheSize);
  if (metrics_ == nullptr) {
    own_metrics_ = std::make_unique<telemetry::MetricsRegistry>();
    metrics_ = own_metrics_.get();
  }
  impl_ = std::make_unique<Impl>(*this);
}

BusContext::~BusContext() = default;

uint64_t BusContext::curve_refusals() const { return impl_->curve_refusals(); }

BusContext::Impl::Impl(BusContext& owner) : owner_(owner), zmq_(1) {
  // Sockets are never shared between threads, and closing one must not wait
  // forever on a peer that is gone: every socket sets its own linger.
  zmq_.set(zmq::ctxopt::blocky, false);
  refusals_counter_ = &owner.metrics().GetCounter(
      "tradeplane_bus_curve_refusals_total",
      "Connections refused by CURVE authentication (client key not allowed).");
}

BusContext::Impl::~Impl() {
  stop_.store(true);
  if (authenticator_.joinable()) authenticator_.join();
}

absl::StatusOr<CurveKeyPair> BusContext::Impl::KeyPair(const std::string& path) {
  auto it = key_pairs_.find(path);
  if (it != key_pairs_.end()) return it->second;
  absl::StatusOr<CurveKeyPair> pair = LoadCurveKeyPair(path);
  if (pair.ok()) key_pairs_[path] = *pair;
  return pair;
}

absl::Status BusContext::Impl::Configure(zmq::socket_t& socket,
                                         const config::v1::SocketConfig& config, SocketSide side,
                                         std::string_view socket_name) {
  const config::v1::BusConfig& bus = owner_.config();
  try {
    socket.set(zmq::sockopt::sndhwm,
               static_cast<int>(config.send_hwm() != 0 ? config.send_hwm() : bus.default_hwm()));
    socket.set(zmq::sockopt::rcvhwm,
               static_cast<int>(config.recv_hwm() != 0 ? config.recv_hwm() : bus.default_hwm()));
    // Our own limit (max_message_bytes) is checked and counted on receipt;
    // libzmq's, twice as large, cuts off a peer that sends far more.
    socket.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(bus.max_message_bytes()) * 2 + 4096);
    if (!config.curve().enabled()) return absl::OkStatus();

    std::lock_guard<std::mutex> lock(mu_);
    const config::v1::CurveConfig& curve = config.curve();
    if (curve.key_pair_file().empty()) {
      return absl::InvalidArgumentError(
          StrCat("socket '", socket_name, "': curve.enabled needs curve.key_pair_file"));
    }
    absl::StatusOr<CurveKeyPair> pair = KeyPair(curve.key_pair_file());
    if (!pair.ok()) {
      return absl::InvalidArgumentError(
          StrCat("socket '", socket_name, "': ", ToStd(pair.status().message())));
    }
    if (side == SocketSide::kServer) {
      Domain domain;
      domain.socket_name = std::string(socket_name);
      std::vector<std::string> entries(curve.allowed_client_keys().begin(),
                                       curve.allowed_client_keys().end());
      if (!curve.allowed_clients_file().empty()) {
        absl::StatusOr<std::vector<std::string>> lines = ReadKeyLines(curve.allowed_clients_file());
        if (!lines.ok()) {
          return absl::InvalidArgumentError(
              StrCat("socket '", socket_name, "': ", ToStd(lines.status().message())));
        }
        entries.insert(entries.end(), lines->begin(), lines->end());
      }
      if (entries.empty()) {
        return absl::InvalidArgumentError(
            StrCat("socket '", socket_name,
                   "': curve is enabled but no client is allowed (curve.allowed_client_keys or "
                   "curve.allowed_clients_file)"));
      }
      for (const std::string& entry : entries) {
        // "name:key" names the client in logs and audits; a bare key is its own name.
        size_t colon = entry.find(':');
        std::string name = colon == std::string::npos ? entry : entry.substr(0, colon);
        std::string key = colon == std::string::npos ? entry : entry.substr(colon + 1);
        absl::Status valid = ValidateZ85Key(key);
        if (!valid.ok()) {
          return absl::InvalidArgumentError(StrCat("socket '", socket_name,
                                                   "': curve.allowed_client_keys: entry for '",
                                                   name, "': ", ToStd(valid.message())));
        }
        domain.allowed[key] = name;
      }
      std::string domain_name = StrCat("tradeplane.", next_domain_++);
      domains_[domain_name] = std::move(domain);
      if (!authenticator_.joinable()) StartAuthenticator();
      socket.set(zmq::sockopt::curve_server, true);
      socket.set(zmq::sockopt::curve_secretkey, pair->secret_key);
      // libzmq lets everyone in when no authenticator answers on
      // inproc://zeromq.zap.01 (ZMQ_ZAP_ENFORCE_DOMAIN is a draft option in
      // 4.3), so the authenticator is always bound before this socket is.
      socket.set(zmq::sockopt::zap_domain, domain_name);
    } else {
      std::string server_key = curve.server_public_key();
      if (server_key.empty() && !curve.server_public_key_file().empty()) {
        absl::StatusOr<std::vector<std::string>> lines =
            ReadKeyLines(curve.server_public_key_file());
        if (!lines.ok() || lines->empty()) {
          return absl::InvalidArgumentError(
              StrCat("socket '", socket_name, "': curve.server_public_key_file: ",
                     lines.ok() ? "no key in the file" : ToStd(lines.status().message())));
        }
        server_key = lines->front();
        size_t colon = server_key.find(':');
        if (colon != std::string::npos) server_key = server_key.substr(colon + 1);
      }
      absl::Status valid = ValidateZ85Key(server_key);
      if (!valid.ok()) {
        return absl::InvalidArgumentError(StrCat(
            "socket '", socket_name, "': curve.server_public_key: ", ToStd(valid.message())));
      }
      socket.set(zmq::sockopt::curve_serverkey, server_key);
      socket.set(zmq::sockopt::curve_publickey, pair->public_key);
      socket.set(zmq::sockopt::curve_secretkey, pair->secret_key);
    }
  } catch (const zmq::error_t& e) {
    return absl::InternalError(StrCat("socket '", socket_name, "': ", e.what()));
  }
  return absl::OkStatus();
}

void BusContext::Impl::StartAuthenticator() {
  std::promise<void> bound;
  std::future<void> ready = bound.get_future();
  authenticator_ = std::thread([this, &bound] {
    zmq::socket_t rep(zmq_, zmq::socket_type::rep);
    rep.set(zmq::sockopt::linger, 0);
    rep.bind("inproc://zeromq.zap.01");
    bound.set_value();
    std::vector<zmq::message_t> frames;
    while (!stop_.load()) {
      zmq::pollitem_t item{rep.handle(), 0, ZMQ_POLLIN, 0};
      try {
        zmq::poll(&item, 1, std::chrono::milliseconds(100));
      } catch (const zmq::error_t&) {
        continue;  // EINTR
      }
      if ((item.revents & ZMQ_POLLIN) == 0) continue;
      if (ReceiveFrames(rep, frames, 8) == 0) continue;
      // RFC 27: version, request id, domain, address, identity, mechanism, credentials.
      std::string request_id = frames.size() > 1 ? std::string(View(frames[1])) : "";
      std::string status = "400", text = "malformed ZAP request", user;
      if (frames.size() >= 7 && View(frames[0]) == "1.0" && View(frames[5]) == "CURVE" &&
          frames[6].size() == 32) {
        char z85[41];
        zmq_z85_encode(z85, static_cast<const uint8_t*>(frames[6].data()), 32);
        std::string domain(View(frames[2]));
        std::lock_guard<std::mutex> lock(mu_);
        auto d = domains_.find(domain);
        if (d != domains_.end()) {
          auto client = d->second.allowed.find(z85);
          if (client != d->second.allowed.end()) {
            status = "200";
            text = "OK";
            user = client->second;
          }
        }
        if (status != "200") {
          text = "client key not allowed";
          curve_refusals_.fetch_add(1);
          refusals_counter_->Increment();
          telemetry::LogWarn("bus connection refused: client key not on the allow-list",
                             {{"socket", d == domains_.end() ? "" : d->second.socket_name},
                              {"client_key", std::string_view(z85)},
                              {"address", View(frames[3])}});
        }
      }
      rep.send(zmq::buffer(std::string_view("1.0")), zmq::send_flags::sndmore);
      rep.send(zmq::buffer(request_id), zmq::send_flags::sndmore);
      rep.send(zmq::buffer(status), zmq::send_flags::sndmore);
      rep.send(zmq::buffer(text), zmq::send_flags::sndmore);
      rep.send(zmq::buffer(user), zmq::send_flags::sndmore);
      rep.send(zmq::buffer(std::string_view()), zmq::send_flags::none);
    }
  });
  ready.wait();
}

size_t ReceiveFrames(zmq::socket_t& socket, std::vector<zmq::message_t>& frames,
                     size_t max_frames) {
  frames.clear();
  zmq::message_t first;
  zmq::recv_result_t r = socket.recv(first, zmq::recv_flags::dontwait);
  if (!r.has_value()) return 0;
  bool more = first.more();
  frames.push_back(std::move(first));
  size_t count = 1;
  while (more) {
    zmq::message_t part;
    // The rest of a multipart message is already here: ZeroMQ delivers all or nothing.
    (void)socket.recv(part, zmq::recv_flags::none);
    more = part.more();
    ++count;
    if (frames.size() < max_frames) frames.push_back(std::move(part));
  }
  return count > max_frames ? max_frames + 1 : count;
}

std::string_view View(const zmq::message_t& m) {
  return std::string_view(static_cast<const char*>(m.data()), m.size());
}

}  // namespace tradeplane::bus
