#include "fanout_subscriber.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string_view>

#include <zmq.hpp>

#include <time.h>

namespace tradeplane::bench {
namespace {

bool Is(const zmq::message_t& frame, std::string_view text) {
  return frame.size() == text.size() && std::memcmp(frame.data(), text.data(), text.size()) == 0;
}

void WriteFrame(std::ofstream& out, const zmq::message_t& frame) {
  uint32_t size = static_cast<uint32_t>(frame.size());
  out.write(reinterpret_cast<const char*>(&size), sizeof(size));
  out.write(static_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
}

bool ReadFrame(std::ifstream& in, std::string* frame) {
  uint32_t size = 0;
  if (!in.read(reinterpret_cast<char*>(&size), sizeof(size))) return false;
  frame->resize(size);
  return static_cast<bool>(in.read(frame->data(), size));
}

int Fail(const char* what) {
  std::fprintf(stderr, "fanout subscriber: %s\n", what);
  return 2;
}

}  // namespace

int64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int RunFanoutSubscriber(const FanoutSubscriberArgs& args) {
  FanoutResult result;
  try {
    // One I/O thread and blocking receives, as the services run.
    zmq::context_t context(1);
    zmq::socket_t sub(context, zmq::socket_type::sub);
    sub.set(zmq::sockopt::linger, 0);
    // No limit at the receiver: a dropped message would make the figure a lie.
    sub.set(zmq::sockopt::rcvhwm, 0);
    sub.set(zmq::sockopt::rcvtimeo, args.timeout_ms);
    sub.set(zmq::sockopt::subscribe, "");
    sub.connect(args.endpoint);

    zmq::message_t topic;
    // Quotes are received into `quote`, everything else into `other`, so the
    // last quote is still there at the end marker (for the capture).
    zmq::message_t quote;
    zmq::message_t other;
    bool ready = false;
    while (true) {
      if (!sub.recv(topic, zmq::recv_flags::none)) return Fail("no message within the timeout");
      if (!topic.more()) return Fail("a message of one frame (expected [topic][envelope])");
      bool is_quote = Is(topic, args.quote_topic);
      zmq::message_t& body = is_quote ? quote : other;
      (void)sub.recv(body, zmq::recv_flags::none);  // the rest of a message is already here
      if (body.more()) return Fail("a message of more than two frames");
      if (is_quote) {
        if (++result.quotes == 1) result.first_quote_ns = MonotonicNs();
        result.quote_bytes += static_cast<int64_t>(topic.size() + body.size());
      } else if (Is(topic, kEndTopic)) {
        result.end_ns = MonotonicNs();
        break;
      } else if (Is(topic, kProbeTopic)) {
        if (!ready) {
          std::ofstream(args.ready_file) << "ready\n";
          ready = true;
        }
      } else {
        return Fail("a message on an unexpected topic");
      }
    }
    if (!args.capture_file.empty() && result.quotes > 0) {
      std::ofstream out(args.capture_file, std::ios::binary | std::ios::trunc);
      zmq::message_t quote_topic(args.quote_topic.data(), args.quote_topic.size());
      WriteFrame(out, quote_topic);
      WriteFrame(out, quote);
      if (!out) return Fail("cannot write the capture file");
    }
  } catch (const zmq::error_t& e) {
    std::fprintf(stderr, "fanout subscriber: %s\n", e.what());
    return 2;
  }
  std::ofstream out(args.result_file, std::ios::trunc);
  out << result.quotes << ' ' << result.quote_bytes << ' ' << result.first_quote_ns << ' '
      << result.end_ns << '\n';
  if (!out) return Fail("cannot write the result file");
  return 0;
}

bool ReadFanoutResult(const std::string& path, FanoutResult* result) {
  std::ifstream in(path);
  return static_cast<bool>(in >> result->quotes >> result->quote_bytes >> result->first_quote_ns >>
                           result->end_ns);
}

bool ReadCapture(const std::string& path, std::string* topic, std::string* envelope) {
  std::ifstream in(path, std::ios::binary);
  return ReadFrame(in, topic) && ReadFrame(in, envelope);
}

}  // namespace tradeplane::bench
