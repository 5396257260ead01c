#include "fanout_roles.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string_view>

#include <zmq.hpp>

#include "tradeplane/bench/frame_file.h"
#include "tradeplane/bus/envelope.h"
#include "tradeplane/core/clock.h"

#include <time.h>
#include <unistd.h>

namespace tradeplane::bench {
namespace {

constexpr char kHeartbeatTopic[] = "md.heartbeat";
constexpr int kIdleEndMs = 1000;
constexpr int kNoDataTimeoutMs = 30000;
// Shorter gaps of a paced schedule are not slept: a burst stays a burst.
constexpr int64_t kMinSleepNs = 20'000;

std::string_view Bytes(const zmq::message_t& frame) {
  return {static_cast<const char*>(frame.data()), frame.size()};
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

}  // namespace

bool WriteResult(const std::string& path, const SubscriberResult& r) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  int64_t header[4] = {r.messages, r.first_receive_ns, r.last_receive_ns,
                       static_cast<int64_t>(r.latencies_ns.size())};
  out.write(reinterpret_cast<const char*>(header), sizeof(header));
  out.write(reinterpret_cast<const char*>(r.latencies_ns.data()),
            static_cast<std::streamsize>(r.latencies_ns.size() * sizeof(int64_t)));
  return static_cast<bool>(out);
}

bool ReadResult(const std::string& path, SubscriberResult* r) {
  std::ifstream in(path, std::ios::binary);
  int64_t header[4];
  if (!in.read(reinterpret_cast<char*>(header), sizeof(header))) return false;
  r->messages = header[0];
  r->first_receive_ns = header[1];
  r->last_receive_ns = header[2];
  if (header[3] < 0) return false;
  r->latencies_ns.resize(static_cast<size_t>(header[3]));
  return static_cast<bool>(
      in.read(reinterpret_cast<char*>(r->latencies_ns.data()),
              static_cast<std::streamsize>(r->latencies_ns.size() * sizeof(int64_t))));
}

int RunSubscriber(const SubscriberArgs& args) {
  SubscriberResult result;
  result.latencies_ns.reserve(1 << 18);  // no allocation while receiving
  std::ofstream capture;
  if (!args.capture_file.empty()) capture.open(args.capture_file, std::ios::binary);
  try {
    // One I/O thread and blocking receives, as the services run.
    zmq::context_t context(1);
    zmq::socket_t sub(context, zmq::socket_type::sub);
    sub.set(zmq::sockopt::linger, 0);
    sub.set(zmq::sockopt::rcvhwm, 0);  // no drops at the receiver: the publisher paces
    sub.set(zmq::sockopt::subscribe, "md.");
    sub.connect(args.endpoint);
    zmq::message_t topic;
    zmq::message_t envelope;
    bus::v1::Header header;
    bool ready = false;
    zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
    const int64_t started_ns = MonotonicNanos();
    while (true) {
      // Heartbeats keep coming after the data ends: the end is a second
      // without data, however many heartbeats arrive meanwhile.
      int64_t since_ns =
          MonotonicNanos() - (result.messages > 0 ? result.last_receive_ns : started_ns);
      int64_t limit_ms = result.messages > 0 ? kIdleEndMs : kNoDataTimeoutMs;
      int64_t left_ms = limit_ms - since_ns / 1'000'000;
      if (left_ms <= 0) {
        if (result.messages > 0) break;
        std::fprintf(stderr, "subscriber: no data for %d ms\n", kNoDataTimeoutMs);
        return 2;
      }
      if (zmq::poll(&item, 1, std::chrono::milliseconds(left_ms)) == 0) continue;
      if (!sub.recv(topic, zmq::recv_flags::none) || !topic.more() ||
          !sub.recv(envelope, zmq::recv_flags::none)) {
        std::fprintf(stderr, "subscriber: expected [topic][envelope]\n");
        return 3;
      }
      int64_t received_ns = MonotonicNanos();
      int64_t wall_ns = SystemClock::Instance().Now().nanos();
      std::string_view t(static_cast<const char*>(topic.data()), topic.size());
      std::string_view payload;
      absl::Status decoded = bus::DecodeEnvelope(
          std::string_view(static_cast<const char*>(envelope.data()), envelope.size()), &header,
          &payload);
      if (!decoded.ok()) {
        std::fprintf(stderr, "subscriber: bad envelope on %.*s\n", static_cast<int>(t.size()),
                     t.data());
        return 3;
      }
      if (t == kHeartbeatTopic) {
        if (!ready) {
          std::ofstream(args.ready_file) << "ready\n";
          ready = true;
        }
        continue;
      }
      if (result.messages == 0) result.first_receive_ns = received_ns;
      result.last_receive_ns = received_ns;
      ++result.messages;
      result.latencies_ns.push_back(wall_ns - header.publish_time_ns());
      if (capture.is_open()) {
        AppendFrame(capture, Bytes(topic));
        AppendFrame(capture, Bytes(envelope));
      }
    }
  } catch (const zmq::error_t& e) {
    std::fprintf(stderr, "subscriber: %s\n", e.what());
    return 3;
  }
  if (!WriteResult(args.result_file, result)) {
    std::fprintf(stderr, "subscriber: cannot write %s\n", args.result_file.c_str());
    return 4;
  }
  return 0;
}

int RunRawPublisher(const RawPublisherArgs& args) {
  std::vector<std::string> topics;
  std::vector<bus::v1::Header> headers;
  std::vector<std::string> payloads;
  {
    std::ifstream in(args.capture_file, std::ios::binary);
    std::string topic;
    std::string envelope;
    while (ReadFrame(in, &topic) && ReadFrame(in, &envelope)) {
      bus::v1::Header header;
      std::string_view payload;
      if (!bus::DecodeEnvelope(envelope, &header, &payload).ok()) {
        std::fprintf(stderr, "raw publisher: bad envelope in %s\n", args.capture_file.c_str());
        return 2;
      }
      topics.push_back(topic);
      headers.push_back(header);
      payloads.emplace_back(payload);
    }
  }
  if (topics.empty()) {
    std::fprintf(stderr, "raw publisher: nothing to publish in %s\n", args.capture_file.c_str());
    return 2;
  }
  try {
    zmq::context_t context(1);
    zmq::socket_t pub(context, zmq::socket_type::pub);
    pub.set(zmq::sockopt::linger, 0);
    pub.set(zmq::sockopt::sndhwm, 1'000'000);  // as the service's config in the bench
    pub.bind(args.endpoint);
    bus::v1::Header heartbeat_header;
    heartbeat_header.set_message_type("tradeplane.bus.v1.Heartbeat");
    heartbeat_header.set_schema_version(bus::kEnvelopeSchemaVersion);
    heartbeat_header.set_source_service("market-data");
    heartbeat_header.set_topic(kHeartbeatTopic);
    std::string buffer;
    auto heartbeat = [&] {
      heartbeat_header.set_publish_time_ns(SystemClock::Instance().Now().nanos());
      bus::EncodeEnvelopeBytes(heartbeat_header, "", &buffer);
      pub.send(zmq::const_buffer(kHeartbeatTopic, sizeof(kHeartbeatTopic) - 1),
               zmq::send_flags::sndmore);
      pub.send(zmq::const_buffer(buffer.data(), buffer.size()), zmq::send_flags::none);
    };
    while (!Exists(args.start_file)) {
      heartbeat();
      usleep(20'000);
    }
    // Paced: the service's own schedule, as captured (the offsets of the
    // original publish times), so both publishers offer the same load.
    const int64_t schedule_origin_ns = headers[0].publish_time_ns();
    const int64_t start_ns = MonotonicNanos();
    for (size_t i = 0; i < topics.size(); ++i) {
      if (args.paced) {
        int64_t due_ns = start_ns + (headers[i].publish_time_ns() - schedule_origin_ns);
        if (due_ns - MonotonicNanos() > kMinSleepNs) {
          timespec due{static_cast<time_t>(due_ns / 1'000'000'000),
                       static_cast<long>(due_ns % 1'000'000'000)};
          clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nullptr);
        }
      }
      int64_t now = SystemClock::Instance().Now().nanos();
      headers[i].set_publish_time_ns(now);
      bus::EncodeEnvelopeBytes(headers[i], payloads[i], &buffer);
      pub.send(zmq::const_buffer(topics[i].data(), topics[i].size()),
               zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      pub.send(zmq::const_buffer(buffer.data(), buffer.size()), zmq::send_flags::dontwait);
    }
    while (true) {
      heartbeat();
      usleep(20'000);
    }
  } catch (const zmq::error_t& e) {
    std::fprintf(stderr, "raw publisher: %s\n", e.what());
    return 3;
  }
}

}  // namespace tradeplane::bench
