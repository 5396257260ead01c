#include "tradeplane/bus/publisher.h"

#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/topic.h"
#include "tradeplane/core/str_cat.h"

#include "context_impl.h"
#include "string_map.h"

namespace tradeplane::bus {

class Publisher::Impl {
 public:
  Impl(BusContext& context, std::string_view name)
      : context_(context),
        socket_(context.impl().zmq(), zmq::socket_type::pub),
        stats_(context.metrics(), name) {
    const BusIdentity& id = context.identity();
    header_.set_schema_version(kEnvelopeSchemaVersion);
    header_.set_source_service(id.service);
    header_.set_source_instance(id.instance);
    header_.set_incarnation(id.incarnation);
    buffer_.reserve(1024);
  }

  absl::Status Bind(const config::v1::SocketConfig& config, std::string_view name) {
    absl::Status s = context_.impl().Configure(socket_, config, SocketSide::kServer, name);
    if (!s.ok()) return s;
    try {
      // Pending messages are worth a short wait at shutdown, not a hang.
      socket_.set(zmq::sockopt::linger, 200);
      socket_.bind(config.endpoint());
      endpoint_ = socket_.get(zmq::sockopt::last_endpoint);
    } catch (const zmq::error_t& e) {
      return absl::UnavailableError(
          StrCat("publisher '", name, "': cannot bind '", config.endpoint(), "': ", e.what()));
    }
    return absl::OkStatus();
  }

  absl::Status Publish(std::string_view topic, const google::protobuf::Message& message,
                       const PublishOptions& options) {
    auto it = sequences_.find(topic);
    if (it == sequences_.end()) {
      absl::Status valid = ValidateTopic(topic);
      if (!valid.ok()) return valid;
      it = sequences_.emplace(std::string(topic), 0).first;
    }
    int64_t now = context_.clock().Now().nanos();
    header_.set_message_type(message.GetDescriptor()->full_name());
    header_.set_sequence(it->second + 1);
    header_.set_event_time_ns(options.event_time_ns != 0 ? options.event_time_ns : now);
    header_.set_publish_time_ns(now);
    // assign() into the field's own string: set_topic(data, size) builds a
    // temporary std::string first, one heap allocation per publish (every
    // md.* topic is longer than the small-string buffer).
    header_.mutable_topic()->assign(topic.data(), topic.size());
    header_.mutable_correlation_id()->assign(options.correlation_id.data(),
                                             options.correlation_id.size());
    // An untraced message parks the trace sub-message instead of deleting it
    // (clear_trace() would), so alternating the two allocates nothing.
    // Without an explicit trace the message joins the thread's current span.
    const telemetry::SpanContext& trace =
        options.trace.valid() ? options.trace : telemetry::CurrentSpanContext();
    if (trace.valid()) {
      if (!header_.has_trace() && spare_trace_ != nullptr) {
        header_.set_allocated_trace(spare_trace_.release());
      }
      trace.ToProto(header_.mutable_trace());
    } else if (header_.has_trace()) {
      spare_trace_.reset(header_.release_trace());
    }
    EncodeEnvelope(header_, message, &buffer_);
    if (buffer_.size() > context_.config().max_message_bytes()) {
      stats_.CountDropped();
      return absl::ResourceExhaustedError(StrCat("message of ", buffer_.size(), " bytes on '",
                                                 topic, "' exceeds the limit of ",
                                                 context_.config().max_message_bytes()));
    }
    try {
      // PUB never blocks; with no subscriber the message simply goes nowhere.
      socket_.send(zmq::const_buffer(topic.data(), topic.size()),
                   zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      socket_.send(zmq::const_buffer(buffer_.data(), buffer_.size()), zmq::send_flags::dontwait);
    } catch (const zmq::error_t& e) {
      stats_.CountDropped();
      return absl::UnavailableError(StrCat("publish on '", topic, "': ", e.what()));
    }
    ++it->second;
    stats_.CountSent(topic.size() + buffer_.size());
    return absl::OkStatus();
  }

  uint64_t LastSequence(std::string_view topic) const {
    auto it = sequences_.find(topic);
    return it == sequences_.end() ? 0 : it->second;
  }

  const std::string& endpoint() const { return endpoint_; }
  const SocketStats& stats() const { return stats_; }

 private:
  BusContext& context_;
  zmq::socket_t socket_;
  SocketStats stats_;
  std::string endpoint_;
  StringMap<uint64_t> sequences_;
  v1::Header header_;
  std::unique_ptr<common::v1::TraceContext> spare_trace_;
  std::string buffer_;
};

absl::StatusOr<std::unique_ptr<Publisher>> Publisher::Create(BusContext& context,
                                                             const config::v1::SocketConfig& config,
                                                             std::string_view name) {
  auto impl = std::make_unique<Impl>(context, name);
  absl::Status s = impl->Bind(config, name);
  if (!s.ok()) return s;
  return std::unique_ptr<Publisher>(new Publisher(std::move(impl)));
}

Publisher::Publisher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Publisher::~Publisher() = default;

absl::Status Publisher::Publish(std::string_view topic, const google::protobuf::Message& message,
                                const PublishOptions& options) {
  return impl_->Publish(topic, message, options);
}

uint64_t Publisher::LastSequence(std::string_view topic) const {
  return impl_->LastSequence(topic);
}
const std::string& Publisher::endpoint() const { return impl_->endpoint(); }
const SocketStats& Publisher::stats() const { return impl_->stats(); }

}  // namespace tradeplane::bus
