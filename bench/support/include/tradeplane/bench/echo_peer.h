// The far end of the transport baselines: a trivial peer in another process
// (this same benchmark binary started again with `--echo-peer DIR`), so the
// baseline crosses the same process boundary as the service it is compared
// with. It serves two sockets, each on its own thread:
//
//   raw  a bare ZeroMQ REP socket (libzmq through cppzmq, nothing of the
//        bus): each request is answered with as many bytes as its first four
//        bytes ask for, so request and reply have the sizes of the service's.
//   bus  the bus library's ReplyServer (envelopes, reply cache, the
//        allow-list), answering SignRequest and ExecutionRequest with a
//        canned reply: the bus's own cost without the service's work.
//
// With `curve` both are CURVE servers. The raw one has no ZAP handler, so any
// client holding the server's public key is let in; the bus one checks the
// allow-list. Either way authentication happens once per connection, never
// per message, so the round trip costs the same.
#ifndef TRADEPLANE_BENCH_ECHO_PEER_H_
#define TRADEPLANE_BENCH_ECHO_PEER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/testing/subprocess.h"

#include "absl/status/statusor.h"

namespace tradeplane::bench {

struct EchoPeerOptions {
  std::string dir;  // a fresh directory for its files and ipc endpoints
  bool curve = false;
  signer::v1::SignResponse sign_reply;
  orders::v1::ExecutionReply execution_reply;
};

class EchoPeer {
 public:
  // Starts the peer process and connects to both sockets; `context` makes the
  // bus client and must outlive the peer.
  static absl::StatusOr<std::unique_ptr<EchoPeer>> Start(bus::BusContext& context,
                                                         const EchoPeerOptions& options);
  ~EchoPeer();

  // One raw round trip: `request_bytes` out, `reply_bytes` back.
  absl::Status RawRoundTrip(size_t request_bytes, size_t reply_bytes);
  // The bus client connected to the peer's ReplyServer.
  bus::RequestClient& bus_client() { return *bus_client_; }

  class RawClient;

 private:
  EchoPeer() = default;
  std::unique_ptr<testing::Subprocess> process_;
  std::unique_ptr<RawClient> raw_;
  std::unique_ptr<bus::RequestClient> bus_client_;
};

// In a benchmark's main, first: when the command line is `--echo-peer DIR`,
// runs the peer until it is killed and returns its exit code.
std::optional<int> RunEchoPeerIfAsked(int argc, char** argv);

// The size of the envelope the bus client sends for `message` (a request) or
// the server sends back (a reply), with the header fields they fill.
size_t EnvelopeBytes(const google::protobuf::Message& message, bool reply);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_ECHO_PEER_H_
