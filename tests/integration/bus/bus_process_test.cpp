// The bus between two real processes: this test and bus_peer.
#include <map>
#include <memory>
#include <set>

#include <catch2/catch.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/test/v1/test_messages.pb.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::bus {
namespace {

using test::v1::Command;
using test::v1::CommandResult;
using testing::BinaryPath;
using testing::Subprocess;
using testing::TempDir;
using testing::WaitUntil;

config::v1::SocketConfig Socket(const std::string& endpoint) {
  config::v1::SocketConfig c;
  c.set_endpoint(endpoint);
  return c;
}

config::v1::ClientConfig Client(const std::string& endpoint, int timeout_ms, int retries) {
  config::v1::ClientConfig c;
  c.mutable_socket()->set_endpoint(endpoint);
  c.set_timeout_ms(timeout_ms);
  c.set_retries(retries);
  return c;
}

std::string Tcp() { return "tcp://127.0.0.1:" + std::to_string(testing::FreeTcpPort()); }

// Sends a command to a peer's control socket.
CommandResult Control(RequestClient& client, const std::string& action,
                      const std::string& topic = "", uint64_t count = 0) {
  Command cmd;
  cmd.set_action(action);
  cmd.set_topic(topic);
  cmd.set_count(count);
  CommandResult result;
  absl::Status s = client.Call(cmd, &result);
  INFO(s.ToString());
  REQUIRE(s.ok());
  return result;
}

struct PublisherPeer {
  std::unique_ptr<Subprocess> process;
  std::unique_ptr<RequestClient> control;
};

PublisherPeer StartPublisher(BusContext& ctx, const std::string& pub, const std::string& raw,
                             const std::string& control) {
  auto p = Subprocess::Start(
      {BinaryPath("bus_peer"), "publisher", "--pub", pub, "--raw", raw, "--control", control});
  REQUIRE(p.ok());
  auto c = RequestClient::Create(ctx, Client(control, 500, 20), "control");
  REQUIRE(c.ok());
  return {std::move(*p), std::move(*c)};
}

void PubSubAcrossProcesses(const std::string& pub_endpoint, const std::string& control) {
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto sub = Subscriber::Create(ctx, "sub");
  REQUIRE(sub.ok());
  REQUIRE((*sub)->Connect(Socket(pub_endpoint)).ok());
  REQUIRE((*sub)->SubscribePrefix("sync").ok());
  REQUIRE((*sub)->SubscribeExact("md.quote.NASDAQ.AMZN").ok());
  std::vector<int64_t> seen;
  std::vector<uint64_t> sequences;
  bool synced = false;
  (*sub)->On<marketdata::v1::Quote>([&](const marketdata::v1::Quote& q, const Delivery& d) {
    if (d.topic == "sync") {
      synced = true;
      return;
    }
    CHECK(d.topic == "md.quote.NASDAQ.AMZN");
    CHECK(d.header.source_service() == "peer-publisher");
    seen.push_back(q.bid_qty());
    sequences.push_back(d.header.sequence());
  });
  PublisherPeer peer = StartPublisher(ctx, pub_endpoint, "inproc://none", control);
  // ZeroMQ's slow joiner: publish until the subscription is known to be live.
  REQUIRE(WaitUntil([&] {
    Control(*peer.control, "sync");
    (*sub)->WaitReadable(std::chrono::milliseconds(20));
    (*sub)->Poll();
    return synced;
  }));
  constexpr uint64_t kCount = 5000;
  // A longer topic with the same prefix must not reach the exact subscriber.
  Control(*peer.control, "publish", "md.quote.NASDAQ.AMZNX", 10);
  Control(*peer.control, "publish", "md.quote.NASDAQ.AMZN", kCount);
  REQUIRE(WaitUntil([&] {
    (*sub)->WaitReadable(std::chrono::milliseconds(10));
    (*sub)->Poll();
    return seen.size() >= kCount;
  }));
  REQUIRE(seen.size() == kCount);
  for (uint64_t i = 0; i < kCount; ++i) {
    REQUIRE(seen[i] == static_cast<int64_t>(i + 1));
    REQUIRE(sequences[i] == i + 1);
  }
  CHECK((*sub)->stats().gaps() == 0);
  CHECK((*sub)->stats().malformed_total() == 0);
  Control(*peer.control, "exit");
  CHECK(peer.process->Wait(std::chrono::seconds(10)) == 0);
}

TEST_CASE("publish/subscribe between two processes over ipc", "[bus][process]") {
  TempDir dir;
  PubSubAcrossProcesses(dir.Ipc("pub"), dir.Ipc("control"));
}

TEST_CASE("publish/subscribe between two processes over tcp", "[bus][process]") {
  PubSubAcrossProcesses(Tcp(), Tcp());
}

TEST_CASE("a slow subscriber sees gaps, counts what it lost, and the publisher never blocks",
          "[bus][process]") {
  TempDir dir;
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto sub = Subscriber::Create(ctx, "slow");
  REQUIRE(sub.ok());
  config::v1::SocketConfig s = Socket(dir.Ipc("pub"));
  s.set_recv_hwm(100);
  REQUIRE((*sub)->Connect(s).ok());
  REQUIRE((*sub)->SubscribePrefix("").ok());
  uint64_t delivered = 0;
  bool synced = false;
  std::vector<Gap> gaps;
  (*sub)->On<marketdata::v1::Quote>([&](const marketdata::v1::Quote&, const Delivery& d) {
    if (d.topic == "sync") {
      synced = true;
    } else {
      ++delivered;
    }
  });
  (*sub)->OnGap([&](const Gap& g) { gaps.push_back(g); });
  PublisherPeer peer = StartPublisher(ctx, dir.Ipc("pub"), "inproc://none", dir.Ipc("control"));
  REQUIRE(WaitUntil([&] {
    Control(*peer.control, "sync");
    (*sub)->WaitReadable(std::chrono::milliseconds(20));
    (*sub)->Poll();
    return synced;
  }));
  // 200k messages while this process reads nothing: far beyond both queues.
  // The call returning at all shows the publisher did not block.
  constexpr uint64_t kFlood = 200'000;
  Control(*peer.control, "publish", "md.quote.NASDAQ.AMZN", kFlood);
  while ((*sub)->WaitReadable(std::chrono::milliseconds(200))) (*sub)->Poll();
  // One more message after the drain reveals a gap at the tail, if any.
  Control(*peer.control, "publish", "md.quote.NASDAQ.AMZN", 1);
  REQUIRE(WaitUntil([&] {
    (*sub)->WaitReadable(std::chrono::milliseconds(10));
    (*sub)->Poll();
    return delivered + (*sub)->stats().lost() >= kFlood + 1;
  }));
  CHECK(delivered < kFlood);
  CHECK((*sub)->stats().gaps() > 0);
  CHECK(gaps.size() == (*sub)->stats().gaps());
  // Every message is accounted for: delivered or counted as lost.
  CHECK(delivered + (*sub)->stats().lost() == kFlood + 1);
  for (const Gap& g : gaps) CHECK(g.received > g.expected);
  Control(*peer.control, "exit");
}

TEST_CASE("malformed frames from another process are counted and survived", "[bus][process]") {
  TempDir dir;
  config::v1::BusConfig bus_config;
  bus_config.set_max_message_bytes(64 * 1024);
  BusContext ctx({"test", 0, 0}, bus_config, nullptr);
  auto sub = Subscriber::Create(ctx, "sub");
  REQUIRE(sub.ok());
  REQUIRE((*sub)->Connect(Socket(dir.Ipc("pub"))).ok());
  REQUIRE((*sub)->Connect(Socket(dir.Ipc("raw"))).ok());
  REQUIRE((*sub)->SubscribePrefix("").ok());
  std::set<std::string> synced;
  std::vector<int64_t> good;
  (*sub)->On<marketdata::v1::Quote>([&](const marketdata::v1::Quote& q, const Delivery& d) {
    if (d.topic == "sync" || d.topic == "rawsync") {
      synced.insert(std::string(d.topic));
    } else {
      good.push_back(q.bid_qty());
    }
  });
  PublisherPeer peer = StartPublisher(ctx, dir.Ipc("pub"), dir.Ipc("raw"), dir.Ipc("control"));
  REQUIRE(WaitUntil([&] {
    Control(*peer.control, "sync");
    (*sub)->WaitReadable(std::chrono::milliseconds(20));
    (*sub)->Poll();
    return synced.size() == 2;
  }));
  Control(*peer.control, "raw", "md.quote.NASDAQ.AMZN");
  REQUIRE(WaitUntil([&] {
    (*sub)->WaitReadable(std::chrono::milliseconds(10));
    (*sub)->Poll();
    return !good.empty();
  }));
  const SocketStats& st = (*sub)->stats();
  CHECK(st.malformed(MalformedReason::kFrames) == 2);
  CHECK(st.malformed(MalformedReason::kEnvelope) == 1);
  CHECK(st.malformed(MalformedReason::kSchemaVersion) == 1);
  CHECK(st.malformed(MalformedReason::kUnknownType) == 1);
  CHECK(st.malformed(MalformedReason::kPayload) == 1);
  CHECK(st.malformed(MalformedReason::kOversized) == 1);
  CHECK(st.malformed(MalformedReason::kTopic) == 1);
  REQUIRE(good.size() == 1);
  CHECK(good[0] == 42);
  // And the normal stream still flows afterwards.
  Control(*peer.control, "publish", "md.quote.NASDAQ.AMZN", 3);
  REQUIRE(WaitUntil([&] {
    (*sub)->WaitReadable(std::chrono::milliseconds(10));
    (*sub)->Poll();
    return good.size() == 4;
  }));
  Control(*peer.control, "exit");
}

struct ReplierPeer {
  std::unique_ptr<Subprocess> process;
  std::unique_ptr<RequestClient> control;
};

ReplierPeer StartReplier(BusContext& ctx, const std::string& rep, const std::string& control,
                         std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {
      BinaryPath("bus_peer"), "replier", "--rep", rep, "--control", control};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto p = Subprocess::Start(argv);
  REQUIRE(p.ok());
  auto c = RequestClient::Create(ctx, Client(control, 500, 40), "control");
  REQUIRE(c.ok());
  return {std::move(*p), std::move(*c)};
}

absl::Status Echo(RequestClient& client, CommandResult* result, CallOptions options = {},
                  const std::string& action = "echo", uint32_t sleep_ms = 0) {
  Command cmd;
  cmd.set_action(action);
  cmd.set_sleep_ms(sleep_ms);
  return client.Call(cmd, result, options);
}

void RequestReplyAcrossProcesses(const std::string& rep, const std::string& control) {
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  ReplierPeer peer = StartReplier(ctx, rep, control);
  auto client = RequestClient::Create(ctx, Client(rep, 1000, 10), "client");
  REQUIRE(client.ok());
  for (int i = 1; i <= 100; ++i) {
    CommandResult r;
    absl::Status s = Echo(**client, &r);
    INFO(s.ToString());
    REQUIRE(s.ok());
    REQUIRE(r.handled() == static_cast<uint64_t>(i));
    REQUIRE((*client)->last_reply_header().source_service() == "peer-replier");
  }
  Control(*peer.control, "exit");
  CHECK(peer.process->Wait(std::chrono::seconds(10)) == 0);
}

TEST_CASE("request/reply between two processes over ipc", "[bus][process]") {
  TempDir dir;
  RequestReplyAcrossProcesses(dir.Ipc("rep"), dir.Ipc("control"));
}

TEST_CASE("request/reply between two processes over tcp", "[bus][process]") {
  RequestReplyAcrossProcesses(Tcp(), Tcp());
}

TEST_CASE("a timed-out request is retried with the same id and answered once", "[bus][process]") {
  TempDir dir;
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  ReplierPeer peer = StartReplier(ctx, dir.Ipc("rep"), dir.Ipc("control"));
  auto client = RequestClient::Create(ctx, Client(dir.Ipc("rep"), 150, 5), "client");
  REQUIRE(client.ok());
  // The handler takes 400 ms: the first attempt times out, the client
  // reconnects and resends; the server finishes the first, then answers the
  // retry from its reply cache without running the handler again.
  CommandResult r;
  absl::Status s = Echo(**client, &r, {}, "sleep", 400);
  INFO(s.ToString());
  REQUIRE(s.ok());
  CHECK(r.handled() == 1);
  CHECK((*client)->stats().retries() >= 1);
  CommandResult stats = Control(*peer.control, "stats");
  CHECK(stats.handled() == 1);
  CHECK(stats.duplicates() >= 1);
  Control(*peer.control, "exit");
}

TEST_CASE("a client finds a server that starts late (reconnect)", "[bus][process]") {
  TempDir dir;
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  ReplierPeer peer = StartReplier(ctx, dir.Ipc("rep"), dir.Ipc("control"), {"--delay-ms", "600"});
  auto client = RequestClient::Create(ctx, Client(dir.Ipc("rep"), 100, 50), "client");
  REQUIRE(client.ok());
  CommandResult r;
  absl::Status s = Echo(**client, &r);
  INFO(s.ToString());
  REQUIRE(s.ok());
  CHECK(r.handled() == 1);
  CHECK((*client)->stats().retries() >= 1);
  Control(*peer.control, "exit");
}

TEST_CASE("duplicate requests return the first answer, a reused id with new content is refused",
          "[bus][process]") {
  TempDir dir;
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  ReplierPeer peer = StartReplier(ctx, dir.Ipc("rep"), dir.Ipc("control"));
  auto client = RequestClient::Create(ctx, Client(dir.Ipc("rep"), 1000, 3), "client");
  REQUIRE(client.ok());
  CallOptions same;
  same.request_id = "intent-7";
  CommandResult first, second, third;
  REQUIRE(Echo(**client, &first, same).ok());
  REQUIRE(Echo(**client, &second, same).ok());
  CHECK(first.handled() == 1);
  CHECK(second.handled() == 1);  // the first answer, not a second run
  absl::Status reused = Echo(**client, &third, same, "sleep", 1);
  CHECK(reused.code() == absl::StatusCode::kAlreadyExists);
  CHECK_THAT(std::string(reused.message()), Catch::Contains("intent-7"));
  // A failed request is not remembered: its retry runs again.
  CallOptions failing;
  failing.request_id = "will-fail";
  CHECK(Echo(**client, &third, failing, "fail").code() == absl::StatusCode::kUnavailable);
  CHECK(Echo(**client, &third, failing, "fail").code() == absl::StatusCode::kUnavailable);
  CommandResult stats = Control(*peer.control, "stats");
  CHECK(stats.duplicates() == 1);
  CHECK(stats.handled() == 3);
  Control(*peer.control, "exit");
}

TEST_CASE("no server: the call fails after its retries, with the endpoint named", "[bus]") {
  TempDir dir;
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto client = RequestClient::Create(ctx, Client(dir.Ipc("nobody"), 50, 2), "client");
  REQUIRE(client.ok());
  CommandResult r;
  absl::Status s = Echo(**client, &r);
  CHECK(s.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK_THAT(std::string(s.message()), Catch::Contains("nobody") && Catch::Contains("3 attempt"));
  CHECK((*client)->stats().timeouts() == 1);
  CHECK((*client)->stats().retries() == 2);
}

TEST_CASE("an unknown request type gets an error reply, and the server carries on",
          "[bus][process]") {
  TempDir dir;
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  ReplierPeer peer = StartReplier(ctx, dir.Ipc("rep"), dir.Ipc("control"));
  auto client = RequestClient::Create(ctx, Client(dir.Ipc("rep"), 1000, 3), "client");
  REQUIRE(client.ok());
  marketdata::v1::Quote not_a_command;
  CommandResult r;
  absl::Status s = (*client)->Call(not_a_command, &r);
  CHECK(s.code() == absl::StatusCode::kUnimplemented);
  CHECK_THAT(std::string(s.message()), Catch::Contains("tradeplane.marketdata.v1.Quote"));
  REQUIRE(Echo(**client, &r).ok());
  CHECK(Control(*peer.control, "stats").malformed() == 1);
  Control(*peer.control, "exit");
}

TEST_CASE("CURVE: only allow-listed clients are served", "[bus][process][security]") {
  TempDir dir;
  CurveKeyPair server = *GenerateCurveKeyPair();
  CurveKeyPair allowed = *GenerateCurveKeyPair();
  CurveKeyPair stranger = *GenerateCurveKeyPair();
  REQUIRE(WriteCurveKeyPair(server, dir.File("server.key")).ok());
  REQUIRE(WriteCurveKeyPair(allowed, dir.File("allowed.key")).ok());
  REQUIRE(WriteCurveKeyPair(stranger, dir.File("stranger.key")).ok());
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  std::string rep = Tcp();
  CurveKeyPair listed = *GenerateCurveKeyPair();
  REQUIRE(WriteCurveKeyPair(listed, dir.File("listed.key")).ok());
  // The allow-list and the server's public key can also come from files.
  testing::WriteFile(dir.File("allowed.txt"), "# clients\nreconciler:" + listed.public_key + "\n");
  testing::WriteFile(dir.File("server.pub"), "signer:" + server.public_key + "\n");
  ReplierPeer peer =
      StartReplier(ctx, rep, dir.Ipc("control"),
                   {"--key-pair", dir.File("server.key"), "--allow",
                    "execution:" + allowed.public_key, "--allow-file", dir.File("allowed.txt")});
  auto make = [&](const std::string& key_file, bool curve, bool key_from_file = false) {
    config::v1::ClientConfig c = Client(rep, 300, 1);
    if (curve) {
      c.mutable_socket()->mutable_curve()->set_enabled(true);
      c.mutable_socket()->mutable_curve()->set_key_pair_file(key_file);
      if (key_from_file) {
        c.mutable_socket()->mutable_curve()->set_server_public_key_file(dir.File("server.pub"));
      } else {
        c.mutable_socket()->mutable_curve()->set_server_public_key(server.public_key);
      }
    }
    auto client = RequestClient::Create(ctx, c, "client");
    REQUIRE(client.ok());
    return std::move(*client);
  };
  // Wait for the server to be up using the control socket.
  Control(*peer.control, "stats");
  auto good = make(dir.File("allowed.key"), true);
  CommandResult r;
  REQUIRE(Echo(*good, &r).ok());
  CHECK(r.note() == "execution");  // the caller's name, from the allow-list
  auto from_file = make(dir.File("listed.key"), true, /*key_from_file=*/true);
  REQUIRE(Echo(*from_file, &r).ok());
  CHECK(r.note() == "reconciler");

  auto bad = make(dir.File("stranger.key"), true);
  CHECK(Echo(*bad, &r).code() == absl::StatusCode::kDeadlineExceeded);
  auto plain = make("", false);
  CHECK(Echo(*plain, &r).code() == absl::StatusCode::kDeadlineExceeded);
  CommandResult stats = Control(*peer.control, "stats");
  CHECK(stats.handled() == 2);
  CHECK(stats.curve_refusals() >= 1);
  Control(*peer.control, "exit");
}

}  // namespace
}  // namespace tradeplane::bus
