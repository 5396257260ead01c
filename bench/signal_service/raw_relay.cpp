#include "raw_relay.h"

#include <cstdint>
#include <cstdio>
#include <fstream>

#include <zmq.hpp>

namespace tradeplane::bench {

bool WriteFrames(const std::string& path, const std::vector<std::string>& frames) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const std::string& f : frames) {
    uint32_t size = static_cast<uint32_t>(f.size());
    out.write(reinterpret_cast<const char*>(&size), sizeof(size));
    out.write(f.data(), static_cast<std::streamsize>(f.size()));
  }
  return static_cast<bool>(out);
}

bool ReadFrames(const std::string& path, std::vector<std::string>* frames) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  uint32_t size = 0;
  while (in.read(reinterpret_cast<char*>(&size), sizeof(size))) {
    std::string f(size, '\0');
    if (!in.read(f.data(), size)) return false;
    frames->push_back(std::move(f));
  }
  return !frames->empty();
}

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
