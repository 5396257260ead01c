// A helper process for the bus tests: the other end of real sockets.
//
//   bus_peer publisher --pub EP --raw EP --control EP
//   bus_peer replier --rep EP --control EP [--delay-ms N] [--key-pair F --allow KEY]...
//
// Both serve Command requests on --control ("exit", "stats", and per mode
// "sync", "publish", "raw" / "echo", "sleep").
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/poller.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/test/v1/test_messages.pb.h"

#include <unistd.h>

namespace tp = tradeplane;
using tp::test::v1::Command;
using tp::test::v1::CommandResult;

namespace {

std::string Flag(int argc, char** argv, const std::string& name, const std::string& fallback = "") {
  for (int i = 2; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

std::vector<std::string> Flags(int argc, char** argv, const std::string& name) {
  std::vector<std::string> out;
  for (int i = 2; i + 1 < argc; ++i) {
    if (argv[i] == name) out.push_back(argv[i + 1]);
  }
  return out;
}

tp::config::v1::SocketConfig Socket(const std::string& endpoint) {
  tp::config::v1::SocketConfig c;
  c.set_endpoint(endpoint);
  return c;
}

template <typename T>
T Must(absl::StatusOr<T> v) {
  if (!v.ok()) {
    std::fprintf(stderr, "bus_peer: %s\n", v.status().ToString().c_str());
    std::exit(2);
  }
  return std::move(*v);
}

// Every kind of bad input a subscriber must survive, then one good message.
void SendRaw(zmq::socket_t& raw, const std::string& topic) {
  auto send2 = [&](std::string_view t, std::string_view body) {
    raw.send(zmq::buffer(t), zmq::send_flags::sndmore);
    raw.send(zmq::buffer(body), zmq::send_flags::none);
  };
  tp::bus::v1::Header h;
  h.set_schema_version(tp::bus::kEnvelopeSchemaVersion);
  h.set_source_service("raw");
  h.set_message_type("tradeplane.marketdata.v1.Quote");
  h.set_topic(topic);
  tp::marketdata::v1::Quote q;
  q.set_bid_qty(42);
  std::string good;

  raw.send(zmq::buffer(topic), zmq::send_flags::none);     // one frame
  raw.send(zmq::buffer(topic), zmq::send_flags::sndmore);  // three frames
  raw.send(zmq::buffer(std::string_view("x")), zmq::send_flags::sndmore);
  raw.send(zmq::buffer(std::string_view("y")), zmq::send_flags::none);
  send2(topic, "\xff\xff\xff garbage");  // not an envelope
  tp::bus::v1::Header v2 = h;
  v2.set_schema_version(2);
  std::string env;
  tp::bus::EncodeEnvelope(v2, q, &env);
  send2(topic, env);  // wrong schema version
  tp::bus::v1::Header unknown = h;
  unknown.set_message_type("tradeplane.nope.v1.Nothing");
  tp::bus::EncodeEnvelope(unknown, q, &env);
  send2(topic, env);  // unknown type
  tp::bus::EncodeEnvelopeBytes(h, "\x0a\xff\xff\xff\xff\x0f", &env);
  send2(topic, env);  // payload that does not parse
  tp::bus::EncodeEnvelopeBytes(h, std::string(70000, 'z'), &env);
  send2(topic, env);  // oversized (the test sets the limit to 64 KiB)
  tp::bus::v1::Header wrong_topic = h;
  wrong_topic.set_topic("md.quote.NASDAQ.OTHER");
  tp::bus::EncodeEnvelope(wrong_topic, q, &env);
  send2(topic, env);  // topic frame and header disagree
  tp::bus::EncodeEnvelope(h, q, &env);
  send2(topic, env);  // and finally a good one
}

int RunPublisher(int argc, char** argv) {
  tp::bus::BusContext ctx({"peer-publisher", 0, 0}, {}, nullptr);
  auto pub = Must(tp::bus::Publisher::Create(ctx, Socket(Flag(argc, argv, "--pub")), "pub"));
  zmq::context_t raw_ctx(1);
  zmq::socket_t raw(raw_ctx, zmq::socket_type::pub);
  raw.set(zmq::sockopt::linger, 500);
  raw.bind(Flag(argc, argv, "--raw", "inproc://unused"));
  auto control =
      Must(tp::bus::ReplyServer::Create(ctx, Socket(Flag(argc, argv, "--control")), "control"));
  std::atomic<bool> stop{false};
  control->Handle<Command, CommandResult>(
      [&](const Command& cmd, const tp::bus::RequestContext&, CommandResult* result) {
        result->set_action(cmd.action());
        if (cmd.action() == "exit") {
          stop = true;
        } else if (cmd.action() == "sync") {
          tp::marketdata::v1::Quote q;
          (void)pub->Publish("sync", q);
          // A well-formed message on the raw socket too, so the test knows
          // that connection is up before it asks for the bad ones.
          tp::bus::v1::Header h;
          h.set_schema_version(tp::bus::kEnvelopeSchemaVersion);
          h.set_message_type("tradeplane.marketdata.v1.Quote");
          h.set_topic("rawsync");
          std::string env;
          tp::bus::EncodeEnvelope(h, q, &env);
          raw.send(zmq::buffer(std::string_view("rawsync")), zmq::send_flags::sndmore);
          raw.send(zmq::buffer(env), zmq::send_flags::none);
        } else if (cmd.action() == "publish") {
          tp::marketdata::v1::Quote q;
          q.mutable_instrument()->set_venue(tp::common::v1::VENUE_NASDAQ);
          q.mutable_instrument()->set_symbol("AMZN");
          for (uint64_t i = 0; i < cmd.count(); ++i) {
            q.set_bid_qty(static_cast<int64_t>(i + 1));
            absl::Status s = pub->Publish(cmd.topic(), q);
            if (!s.ok()) return s;
          }
        } else if (cmd.action() == "raw") {
          SendRaw(raw, cmd.topic());
        } else {
          return absl::InvalidArgumentError("unknown action " + cmd.action());
        }
        return absl::OkStatus();
      });
  tp::bus::Poller poller;
  poller.Add(*control);
  poller.Run(stop);
  return 0;
}

int RunReplier(int argc, char** argv) {
  int delay_ms = std::stoi(Flag(argc, argv, "--delay-ms", "0"));
  if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  tp::bus::BusContext ctx({"peer-replier", 0, 0}, {}, nullptr);
  tp::config::v1::SocketConfig rep = Socket(Flag(argc, argv, "--rep"));
  std::string key_pair = Flag(argc, argv, "--key-pair");
  if (!key_pair.empty()) {
    rep.mutable_curve()->set_enabled(true);
    rep.mutable_curve()->set_key_pair_file(key_pair);
    for (const std::string& k : Flags(argc, argv, "--allow")) {
      rep.mutable_curve()->add_allowed_client_keys(k);
    }
    rep.mutable_curve()->set_allowed_clients_file(Flag(argc, argv, "--allow-file"));
  }
  auto server = Must(tp::bus::ReplyServer::Create(ctx, rep, "rep"));
  auto control =
      Must(tp::bus::ReplyServer::Create(ctx, Socket(Flag(argc, argv, "--control")), "control"));
  uint64_t handled = 0;
  std::string last_caller;
  server->Handle<Command, CommandResult>(
      [&](const Command& cmd, const tp::bus::RequestContext& rc, CommandResult* result) {
        ++handled;
        last_caller = std::string(rc.authenticated_caller);
        if (cmd.action() == "sleep") {
          std::this_thread::sleep_for(std::chrono::milliseconds(cmd.sleep_ms()));
        } else if (cmd.action() == "fail") {
          return absl::UnavailableError("asked to fail");
        }
        result->set_action(cmd.action());
        result->set_handled(handled);
        result->set_note(std::string(rc.authenticated_caller));
        return absl::OkStatus();
      });
  std::atomic<bool> stop{false};
  control->Handle<Command, CommandResult>(
      [&](const Command& cmd, const tp::bus::RequestContext&, CommandResult* result) {
        if (cmd.action() == "exit") stop = true;
        result->set_action(cmd.action());
        result->set_handled(handled);
        result->set_duplicates(server->stats().duplicate_requests());
        result->set_malformed(server->stats().malformed_total());
        result->set_curve_refusals(ctx.curve_refusals());
        result->set_note(last_caller);
        return absl::OkStatus();
      });
  tp::bus::Poller poller;
  poller.Add(*server);
  poller.Add(*control);
  poller.Run(stop);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bus_peer publisher|replier ...\n");
    return 2;
  }
  std::string mode = argv[1];
  if (mode == "publisher") return RunPublisher(argc, argv);
  if (mode == "replier") return RunReplier(argc, argv);
  std::fprintf(stderr, "bus_peer: unknown mode %s\n", mode.c_str());
  return 2;
}
