// Private: the ZeroMQ side of BusContext.
#ifndef TRADEPLANE_BUS_SRC_CONTEXT_IMPL_H_
#define TRADEPLANE_BUS_SRC_CONTEXT_IMPL_H_

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <zmq.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/config/v1/common.pb.h"

#include "absl/status/status.h"

namespace tradeplane::bus {

enum class SocketSide { kServer, kClient };

class BusContext::Impl {
 public:
  explicit Impl(BusContext& owner);
  ~Impl();

  zmq::context_t& zmq() { return zmq_; }

  // Sets high-water marks, the message size limit and, when the config asks
  // for it, CURVE (a server also gets its allow-list registered with the
  // authenticator). Call before bind/connect.
  absl::Status Configure(zmq::socket_t& socket, const config::v1::SocketConfig& config,
                         SocketSide side, std::string_view socket_name);
  uint64_t curve_refusals() const { return curve_refusals_.load(); }

 private:
  struct Domain {
    std::string socket_name;
    std::map<std::string, std::string> allowed;  // Z85 public key -> client name
  };
  absl::StatusOr<CurveKeyPair> KeyPair(const std::string& path);
  void StartAuthenticator();
  void AuthenticatorLoop();

  BusContext& owner_;
  zmq::context_t zmq_;
  std::mutex mu_;
  std::map<std::string, Domain> domains_;  // ZAP domain -> allow-list
  std::map<std::string, CurveKeyPair> key_pairs_;
  int next_domain_ = 0;
  std::thread authenticator_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> curve_refusals_{0};
  telemetry::Counter* refusals_counter_ = nullptr;
};

// Reads every frame of one message into `frames` (cleared first), up to
// `max_frames`; the rest of an over-long message is drained and reported by
// returning max_frames + 1. Returns 0 when nothing is waiting (non-blocking).
size_t ReceiveFrames(zmq::socket_t& socket, std::vector<zmq::message_t>& frames, size_t max_frames);

std::string_view View(const zmq::message_t& m);

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_SRC_CONTEXT_IMPL_H_
