#include "tradeplane/bus/subscriber.h"

#include <vector>

#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/topic.h"
#include "tradeplane/core/str_cat.h"

#include "context_impl.h"
#include "malformed_log.h"
#include "socket_handles.h"
#include "string_map.h"

namespace tradeplane::bus {
namespace {

struct StreamState {
  uint64_t incarnation = 0;
  uint64_t last_sequence = 0;
};

struct TypedHandler {
  std::unique_ptr<google::protobuf::Message> scratch;
  Subscriber::Handler handler;
};

}  // namespace

class Subscriber::Impl {
 public:
  Impl(BusContext& context, std::string_view name)
      : context_(context),
        name_(name),
        socket_(context.impl().zmq(), zmq::socket_type::sub),
        stats_(context.metrics(), name),
        log_(name) {
    socket_.set(zmq::sockopt::linger, 0);
    frames_.reserve(4);
  }

  absl::Status Connect(const config::v1::SocketConfig& config) {
    absl::Status s = context_.impl().Configure(socket_, config, SocketSide::kClient, name_);
    if (!s.ok()) return s;
    try {
      socket_.connect(config.endpoint());
    } catch (const zmq::error_t& e) {
      return absl::InvalidArgumentError(StrCat("subscriber '", name_, "': cannot connect to '",
                                               config.endpoint(), "': ", e.what()));
    }
    return absl::OkStatus();
  }

  absl::Status Subscribe(std::string_view topic, bool exact) {
    if (exact) {
      absl::Status valid = ValidateTopic(topic);
      if (!valid.ok()) return valid;
      exact_.emplace(std::string(topic), true);
    } else {
      any_prefix_ = true;
      prefixes_.emplace_back(topic);
    }
    try {
      socket_.set(zmq::sockopt::subscribe, std::string(topic));
    } catch (const zmq::error_t& e) {
      return absl::InternalError(StrCat("subscribe '", topic, "': ", e.what()));
    }
    return absl::OkStatus();
  }

  void AddHandler(std::unique_ptr<google::protobuf::Message> prototype, Handler handler) {
    std::string type = prototype->GetDescriptor()->full_name();
    handlers_[type] = TypedHandler{std::move(prototype), std::move(handler)};
  }

  int Poll(int max_messages) {
    int n = 0;
    for (; n < max_messages; ++n) {
      size_t count;
      try {
        count = ReceiveFrames(socket_, frames_, 2);
      } catch (const zmq::error_t& e) {
        log_.Refuse(stats_, MalformedReason::kFrames, e.what());
        break;
      }
      if (count == 0) break;
      if (count != 2) {
        log_.Refuse(stats_, MalformedReason::kFrames, StrCat(count, " frames, expected 2"));
        continue;
      }
      Handle(View(frames_[0]), View(frames_[1]));
    }
    return n;
  }

  bool WaitReadable(std::chrono::milliseconds timeout) {
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, timeout);
    } catch (const zmq::error_t&) {
      return false;
    }
    return (item.revents & ZMQ_POLLIN) != 0;
  }

  void* handle() { return socket_.handle(); }

  BusContext& context_;
  std::string name_;
  zmq::socket_t socket_;
  SocketStats stats_;
  MalformedLog log_;
  RawHandler raw_handler_;
  std::function<void(const Gap&)> gap_handler_;

 private:
  bool Wanted(std::string_view topic) const {
    if (exact_.find(topic) != exact_.end()) return true;
    if (!any_prefix_) return false;
    for (const std::string& p : prefixes_) {
      if (topic.starts_with(p)) return true;
    }
    return false;
  }

  void Handle(std::string_view topic, std::string_view envelope) {
    if (envelope.size() > context_.config().max_message_bytes()) {
      log_.Refuse(stats_, MalformedReason::kOversized,
                  StrCat(envelope.size(), " bytes on '", topic.substr(0, 80), "'"));
      return;
    }
    absl::Status decoded = DecodeEnvelope(envelope, &header_, &payload_);
    if (!decoded.ok()) {
      log_.Refuse(stats_,
                  decoded.code() == absl::StatusCode::kFailedPrecondition
                      ? MalformedReason::kSchemaVersion
                      : MalformedReason::kEnvelope,
                  ToStd(decoded.message()));
      return;
    }
    if (!header_.topic().empty() && header_.topic() != topic) {
      log_.Refuse(stats_, MalformedReason::kTopic,
                  StrCat("frame '", topic.substr(0, 80), "' but header '",
                         header_.topic().substr(0, 80), "'"));
      return;
    }
    // ZeroMQ matched a prefix that only an exact subscription asked for.
    if (!Wanted(topic)) return;
    stats_.CountReceived(topic.size() + envelope.size());
    if (!CheckSequence(topic)) return;

    Delivery delivery{topic, header_, telemetry::SpanContext::FromProto(header_.trace())};
    if (raw_handler_) raw_handler_(topic, envelope, delivery);
    auto it = handlers_.find(std::string_view(header_.message_type()));
    if (it == handlers_.end()) {
      if (!raw_handler_) {
        log_.Refuse(stats_, MalformedReason::kUnknownType,
                    StrCat("type '", header_.message_type().substr(0, 120), "' on '",
                           topic.substr(0, 80), "'"));
      }
      return;
    }
    google::protobuf::Message& msg = *it->second.scratch;
    msg.Clear();
    if (!msg.ParseFromArray(payload_.data(), static_cast<int>(payload_.size()))) {
      log_.Refuse(stats_, MalformedReason::kPayload,
                  StrCat(header_.message_type(), " on '", topic.substr(0, 80), "' does not parse"));
      return;
    }
    telemetry::ScopedTraceContext scope(delivery.trace);
    it->second.handler(msg, delivery);
  }

  // False when the message must be dropped (a repeat or an old sequence).
  bool CheckSequence(std::string_view topic) {
    if (header_.sequence() == 0) return true;  // not a sequenced stream
    key_.clear();
    StrAppend(&key_, header_.source_service(), "/", header_.source_instance(), "/", topic);
    auto it = streams_.find(std::string_view(key_));
    if (it == streams_.end()) {
      streams_.emplace(key_, StreamState{header_.incarnation(), header_.sequence()});
      return true;
    }
    StreamState& s = it->second;
    if (s.incarnation != header_.incarnation()) {
      // The publisher restarted: its sequences start again.
      s = StreamState{header_.incarnation(), header_.sequence()};
      return true;
    }
    if (header_.sequence() <= s.last_sequence) {
      stats_.CountOutOfOrder();
      return false;
    }
    if (header_.sequence() != s.last_sequence + 1) {
      uint64_t expected = s.last_sequence + 1;
      stats_.CountGap(header_.sequence() - expected);
      s.last_sequence = header_.sequence();
      if (gap_handler_) {
        gap_handler_(Gap{topic, header_.source_service(), header_.source_instance(), expected,
                         header_.sequence()});
      }
      return true;
    }
    s.last_sequence = header_.sequence();
    return true;
  }

  std::vector<zmq::message_t> frames_;
  v1::Header header_;
  std::string_view payload_;
  std::string key_;
  StringMap<StreamState> streams_;
  StringMap<TypedHandler> handlers_;
  StringMap<bool> exact_;
  std::vector<std::string> prefixes_;
  bool any_prefix_ = false;
};

absl::StatusOr<std::unique_ptr<Subscriber>> Subscriber::Create(BusContext& context,
                                                               std::string_view name) {
  return std::unique_ptr<Subscriber>(new Subscriber(std::make_unique<Impl>(context, name)));
}

Subscriber::Subscriber(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Subscriber::~Subscriber() = default;

absl::Status Subscriber::Connect(const config::v1::SocketConfig& config) {
  return impl_->Connect(config);
}
absl::Status Subscriber::SubscribePrefix(std::string_view prefix) {
  return impl_->Subscribe(prefix, /*exact=*/false);
}
absl::Status Subscriber::SubscribeExact(std::string_view topic) {
  return impl_->Subscribe(topic, /*exact=*/true);
}
void Subscriber::AddHandler(std::unique_ptr<google::protobuf::Message> prototype, Handler handler) {
  impl_->AddHandler(std::move(prototype), std::move(handler));
}
void Subscriber::OnRaw(RawHandler handler) { impl_->raw_handler_ = std::move(handler); }
void Subscriber::OnGap(std::function<void(const Gap&)> handler) {
  impl_->gap_handler_ = std::move(handler);
}
int Subscriber::Poll(int max_messages) { return impl_->Poll(max_messages); }
bool Subscriber::WaitReadable(std::chrono::milliseconds timeout) {
  return impl_->WaitReadable(timeout);
}
const SocketStats& Subscriber::stats() const { return impl_->stats_; }

void* SubscriberHandle(Subscriber& s) { return s.impl().handle(); }

}  // namespace tradeplane::bus
