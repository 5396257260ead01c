#include "raw_relay.h"

#include <cstdio>
#include <vector>

#include <zmq.hpp>

#include "tradeplane/bench/frame_file.h"

namespace tradeplane::bench {

int RunRawRelay(const RawRelayArgs& args) {
  std::vector<std::string> intents;
  if (!ReadFrames(args.intents_file, &intents)) {
    std::fprintf(stderr, "raw relay: cannot read %s\n", args.intents_file.c_str());
    return 2;
  }
  try {
    // One I/O thread and blocking receives, as the services run.
    zmq::context_t context(1);
    zmq::socket_t quotes(context, zmq::socket_type::sub);
    zmq::socket_t risk(context, zmq::socket_type::req);
    quotes.set(zmq::sockopt::linger, 0);
    risk.set(zmq::sockopt::linger, 0);
    quotes.set(zmq::sockopt::subscribe, "md.");
    quotes.connect(args.market_data_endpoint);
    risk.connect(args.risk_endpoint);
    zmq::message_t topic;
    zmq::message_t envelope;
    zmq::message_t decision;
    while (true) {
      if (!quotes.recv(topic, zmq::recv_flags::none)) continue;
      while (topic.more()) {
        if (!quotes.recv(envelope, zmq::recv_flags::none)) break;
        if (!envelope.more()) break;
      }
      for (const std::string& intent : intents) {
        risk.send(zmq::const_buffer(intent.data(), intent.size()), zmq::send_flags::none);
        if (!risk.recv(decision, zmq::recv_flags::none)) return 3;
      }
    }
  } catch (const zmq::error_t& e) {
    std::fprintf(stderr, "raw relay: %s\n", e.what());
    return 3;
  }
}

}  // namespace tradeplane::bench
