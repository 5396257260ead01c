#include "raw_relay.h"

#include <cstdio>

#include <zmq.hpp>

#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::bench {

int RunRawRelay(const RawRelayArgs& args) {
  const std::string order = testing::ReadFile(args.order_file);
  const std::string decision = testing::ReadFile(args.decision_file);
  if (order.empty() || decision.empty()) {
    std::fprintf(stderr, "raw relay: cannot read %s or %s\n", args.order_file.c_str(),
                 args.decision_file.c_str());
    return 2;
  }
  try {
    // One I/O thread and blocking receives, as the services run.
    zmq::context_t context(1);
    zmq::socket_t intents(context, zmq::socket_type::rep);
    zmq::socket_t orders(context, zmq::socket_type::req);
    intents.set(zmq::sockopt::linger, 0);
    orders.set(zmq::sockopt::linger, 0);
    intents.bind(args.intents_endpoint);
    orders.connect(args.orders_endpoint);
    zmq::message_t request;
    zmq::message_t ack;
    while (true) {
      if (!intents.recv(request, zmq::recv_flags::none)) continue;
      orders.send(zmq::const_buffer(order.data(), order.size()), zmq::send_flags::none);
      if (!orders.recv(ack, zmq::recv_flags::none)) return 3;
      intents.send(zmq::const_buffer(decision.data(), decision.size()), zmq::send_flags::none);
    }
  } catch (const zmq::error_t& e) {
    std::fprintf(stderr, "raw relay: %s\n", e.what());
    return 3;
  }
}

}  // namespace tradeplane::bench
