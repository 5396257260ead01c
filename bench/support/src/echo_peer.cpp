#include "tradeplane/bench/echo_peer.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <thread>

#include <zmq.hpp>

#include "tradeplane/bench/self_path.h"
#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/poller.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/testing/temp_dir.h"

#include <unistd.h>

namespace tradeplane::bench {
namespace {

// Replies larger than this are not asked for by any benchmark.
constexpr size_t kMaxRawReplyBytes = 1 << 20;
constexpr int kRawTimeoutMs = 10'000;

std::string File(const std::string& dir, const char* name) { return dir + "/" + name; }

// The raw REP loop; runs until the process is killed.
void ServeRaw(const std::string& dir, const bus::CurveKeyPair* server) {
  zmq::context_t context(1);
  zmq::socket_t socket(context, zmq::socket_type::rep);
  if (server != nullptr) {
    socket.set(zmq::sockopt::curve_server, true);
    socket.set(zmq::sockopt::curve_secretkey, server->secret_key);
  }
  socket.bind("ipc://" + File(dir, "raw"));
  std::string reply(kMaxRawReplyBytes, 'r');
  zmq::message_t request;
  for (;;) {
    if (!socket.recv(request, zmq::recv_flags::none)) continue;
    uint32_t wanted = 0;
    if (request.size() >= sizeof(wanted)) std::memcpy(&wanted, request.data(), sizeof(wanted));
    size_t size = std::min<size_t>(wanted, kMaxRawReplyBytes);
    socket.send(zmq::buffer(reply.data(), size), zmq::send_flags::none);
  }
}

int RunPeer(const std::string& dir) {
  const bool curve = access(File(dir, "curve.on").c_str(), F_OK) == 0;
  bus::CurveKeyPair server;
  if (curve) {
    absl::StatusOr<bus::CurveKeyPair> loaded = bus::LoadCurveKeyPair(File(dir, "peer.curve"));
    if (!loaded.ok()) {
      std::fprintf(stderr, "echo peer: %s\n", loaded.status().ToString().c_str());
      return 2;
    }
    server = *loaded;
  }
  signer::v1::SignResponse sign_reply;
  orders::v1::ExecutionReply execution_reply;
  if (!sign_reply.ParseFromString(testing::ReadFile(File(dir, "sign_reply.bin"))) ||
      !execution_reply.ParseFromString(testing::ReadFile(File(dir, "execution_reply.bin")))) {
    std::fprintf(stderr, "echo peer: the canned replies do not parse\n");
    return 2;
  }
  std::thread raw(ServeRaw, dir, curve ? &server : nullptr);
  raw.detach();

  bus::BusContext context({"echo-peer", 0, 0}, {}, nullptr);
  config::v1::SocketConfig socket;
  socket.set_endpoint("ipc://" + File(dir, "bus"));
  if (curve) {
    socket.mutable_curve()->set_enabled(true);
    socket.mutable_curve()->set_key_pair_file(File(dir, "peer.curve"));
    socket.mutable_curve()->set_allowed_clients_file(File(dir, "clients"));
  }
  absl::StatusOr<std::unique_ptr<bus::ReplyServer>> server_socket =
      bus::ReplyServer::Create(context, socket, "echo");
  if (!server_socket.ok()) {
    std::fprintf(stderr, "echo peer: %s\n", server_socket.status().ToString().c_str());
    return 2;
  }
  (*server_socket)
      ->Handle<signer::v1::SignRequest, signer::v1::SignResponse>(
          [&](const signer::v1::SignRequest&, const bus::RequestContext&,
              signer::v1::SignResponse* reply) {
            *reply = sign_reply;
            return absl::OkStatus();
          });
  (*server_socket)
      ->Handle<orders::v1::ExecutionRequest, orders::v1::ExecutionReply>(
          [&](const orders::v1::ExecutionRequest&, const bus::RequestContext&,
              orders::v1::ExecutionReply* reply) {
            *reply = execution_reply;
            return absl::OkStatus();
          });
  bus::Poller poller;
  poller.Add(**server_socket);
  std::atomic<bool> stop{false};  // the process ends by a signal
  poller.Run(stop);
  return 0;
}

}  // namespace

class EchoPeer::RawClient {
 public:
  RawClient(const std::string& endpoint, const bus::CurveKeyPair* client,
            const std::string& server_public_key)
      : context_(1), socket_(context_, zmq::socket_type::req), request_(kMaxRawReplyBytes, 'q') {
    if (client != nullptr) {
      socket_.set(zmq::sockopt::curve_serverkey, server_public_key);
      socket_.set(zmq::sockopt::curve_publickey, client->public_key);
      socket_.set(zmq::sockopt::curve_secretkey, client->secret_key);
    }
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::rcvtimeo, kRawTimeoutMs);
    socket_.set(zmq::sockopt::sndtimeo, kRawTimeoutMs);
    socket_.connect(endpoint);
  }

  absl::Status RoundTrip(size_t request_bytes, size_t reply_bytes) {
    if (request_bytes < sizeof(uint32_t) || request_bytes > request_.size() ||
        reply_bytes > kMaxRawReplyBytes) {
      return absl::InvalidArgumentError("raw round trip: message sizes out of range");
    }
    const uint32_t wanted = static_cast<uint32_t>(reply_bytes);
    std::memcpy(request_.data(), &wanted, sizeof(wanted));
    try {
      if (!socket_.send(zmq::buffer(request_.data(), request_bytes), zmq::send_flags::none)) {
        return absl::DeadlineExceededError("raw round trip: the request could not be sent");
      }
      if (!socket_.recv(reply_, zmq::recv_flags::none)) {
        return absl::DeadlineExceededError("raw round trip: no reply from the echo peer");
      }
    } catch (const zmq::error_t& e) {
      // EINTR (a signal) included: the REQ socket is then out of step, and
      // the run ends here.
      return absl::UnavailableError(std::string("raw round trip: ") + e.what());
    }
    if (reply_.size() != reply_bytes) return absl::DataLossError("raw round trip: wrong size");
    return absl::OkStatus();
  }

 private:
  zmq::context_t context_;
  zmq::socket_t socket_;
  std::string request_;
  zmq::message_t reply_;
};

absl::StatusOr<std::unique_ptr<EchoPeer>> EchoPeer::Start(bus::BusContext& context,
                                                          const EchoPeerOptions& options) {
  const std::string& dir = options.dir;
  std::unique_ptr<EchoPeer> peer(new EchoPeer());
  bus::CurveKeyPair server, client;
  if (options.curve) {
    absl::StatusOr<bus::CurveKeyPair> s = bus::GenerateCurveKeyPair();
    absl::StatusOr<bus::CurveKeyPair> c = bus::GenerateCurveKeyPair();
    if (!s.ok()) return s.status();
    if (!c.ok()) return c.status();
    server = *s;
    client = *c;
    if (absl::Status w = bus::WriteCurveKeyPair(server, File(dir, "peer.curve")); !w.ok()) return w;
    if (absl::Status w = bus::WriteCurveKeyPair(client, File(dir, "client.curve")); !w.ok()) {
      return w;
    }
    testing::WriteFile(File(dir, "clients"), "bench:" + client.public_key + "\n");
    testing::WriteFile(File(dir, "curve.on"), "");
  }
  testing::WriteFile(File(dir, "sign_reply.bin"), options.sign_reply.SerializeAsString());
  testing::WriteFile(File(dir, "execution_reply.bin"), options.execution_reply.SerializeAsString());
  testing::Subprocess::Options spawn;
  spawn.output_file = File(dir, "peer.out");
  absl::StatusOr<std::unique_ptr<testing::Subprocess>> process =
      testing::Subprocess::Start({SelfPath(), "--echo-peer", dir}, spawn);
  if (!process.ok()) return process.status();
  peer->process_ = std::move(*process);

  peer->raw_ = std::make_unique<RawClient>("ipc://" + File(dir, "raw"),
                                           options.curve ? &client : nullptr, server.public_key);
  config::v1::ClientConfig bus_config;
  bus_config.mutable_socket()->set_endpoint("ipc://" + File(dir, "bus"));
  bus_config.set_timeout_ms(kRawTimeoutMs);
  bus_config.set_retries(0);
  if (options.curve) {
    config::v1::CurveConfig* curve = bus_config.mutable_socket()->mutable_curve();
    curve->set_enabled(true);
    curve->set_key_pair_file(File(dir, "client.curve"));
    curve->set_server_public_key(server.public_key);
  }
  absl::StatusOr<std::unique_ptr<bus::RequestClient>> bus_client =
      bus::RequestClient::Create(context, bus_config, "echo-peer");
  if (!bus_client.ok()) return bus_client.status();
  peer->bus_client_ = std::move(*bus_client);

  // The first exchange on each socket waits for the peer to start.
  absl::Status raw = peer->RawRoundTrip(64, 64);
  signer::v1::SignResponse reply;
  absl::Status bus_call =
      raw.ok() ? peer->bus_client_->Call(signer::v1::SignRequest(), &reply) : absl::OkStatus();
  if (!raw.ok() || !bus_call.ok()) {
    return absl::UnavailableError("the echo peer does not answer (" +
                                  (raw.ok() ? bus_call : raw).ToString() +
                                  "); its output: " + peer->process_->Output());
  }
  return peer;
}

EchoPeer::~EchoPeer() {
  // The peer has nothing to flush: SIGKILL (in the Subprocess) is fine.
  bus_client_.reset();
  raw_.reset();
}

absl::Status EchoPeer::RawRoundTrip(size_t request_bytes, size_t reply_bytes) {
  return raw_->RoundTrip(request_bytes, reply_bytes);
}

std::optional<int> RunEchoPeerIfAsked(int argc, char** argv) {
  if (argc != 3 || std::string_view(argv[1]) != "--echo-peer") return std::nullopt;
  return RunPeer(argv[2]);
}

size_t EnvelopeBytes(const google::protobuf::Message& message, bool reply) {
  bus::v1::Header header;
  header.set_message_type(message.GetDescriptor()->full_name());
  header.set_schema_version(bus::kEnvelopeSchemaVersion);
  header.set_source_service(reply ? "signer" : "execution");
  header.set_incarnation(0x7a3c5e9f1b2d4c6eULL);                  // a random 64-bit id
  header.set_request_id("0190a3b2-7c41-7d3e-8f00-2b9d3c4e5f60");  // a UUIDv7
  header.set_event_time_ns(1'763'790'000'000'000'000);
  header.set_publish_time_ns(1'763'790'000'000'000'000);
  std::string out;
  bus::EncodeEnvelope(header, message, &out);
  return out.size();
}

}  // namespace tradeplane::bench
