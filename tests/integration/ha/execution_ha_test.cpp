// Active-passive execution: two instances on one PostgreSQL elect a leader;
// the leader is killed with SIGKILL in the middle of a stream of orders, and
// the standby takes over with no order lost or sent twice. Real processes:
// the venue simulator, the signer and both executions.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include <catch2/catch.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/testing/wait.h"

#include "reconciler_fixture.h"

namespace tradeplane::recon_test {
namespace {

namespace ov1 = orders::v1;
using admin::v1::ROLE_LEADER;
using admin::v1::ROLE_STANDBY;
using common::v1::SIDE_BUY;
using testing::WaitUntil;

constexpr int kOrders = 40;
constexpr int kDeposedExitCode = 75;  // service::ServiceRuntime::kDeposedExitCode
constexpr int kKillAfter = 20;

std::string ClientOrderId(int i) { return "ha-" + std::to_string(i); }

TEST_CASE("the standby execution takes over from a killed leader with no order lost or doubled",
          "[ha][execution][pg]") {
  ReconWorld w({.execution_requires_clean_run = false});
  w.exec().EnableLeaderElection(100);
  w.exec().Start();
  w.exec().WaitReady();
  admin::v1::ServiceStatus leader = w.exec().Status();
  CHECK(leader.role() == ROLE_LEADER);
  CHECK(leader.details().at("leader_epoch") == "1");

  const int standby_port = testing::FreeTcpPort();
  std::unique_ptr<testing::Subprocess> standby = w.exec().StartInstance(1, standby_port);
  REQUIRE(WaitUntil([&] { return w.exec().StatusAt(standby_port).role() == ROLE_STANDBY; },
                    std::chrono::seconds(30)));
  admin::v1::ServiceStatus waiting = w.exec().StatusAt(standby_port);
  CHECK_FALSE(waiting.ready());
  CHECK_THAT(waiting.not_ready_reason(), Catch::Contains("standby"));

  // Risk's side: the same request id (the client order id) on every retry,
  // so an order the dead leader journaled is answered from the journal.
  bus::BusContext bus({"risk", 0, 0}, config::v1::BusConfig(), nullptr);
  config::v1::ClientConfig client_config;
  client_config.mutable_socket()->set_endpoint(w.exec().orders_endpoint());
  client_config.set_timeout_ms(300);
  client_config.set_retries(40);
  absl::StatusOr<std::unique_ptr<bus::RequestClient>> client =
      bus::RequestClient::Create(bus, client_config, "execution");
  REQUIRE(client.ok());

  std::atomic<int64_t> killed_ns{0}, took_over_ns{0};
  std::thread killer;
  int duplicates = 0;
  for (int i = 0; i < kOrders; ++i) {
    if (i == kKillAfter) {
      // SIGKILL while this order is in flight; the standby is timed from
      // the kill to its health saying SERVING.
      killer = std::thread([&] {
        killed_ns.store(MonotonicNanos());
        w.exec().Kill();
        if (WaitUntil([&] { return w.exec().StatusAt(standby_port).ready(); },
                      std::chrono::seconds(30))) {
          took_over_ns.store(MonotonicNanos());
        }
      });
    }
    ov1::ExecutionRequest request;
    *request.mutable_new_order() = w.exec().Order(ClientOrderId(i), SIDE_BUY, "0.001", "100");
    ov1::ExecutionReply reply;
    absl::Status sent = (*client)->Call(request, &reply, {.request_id = ClientOrderId(i)});
    INFO(ClientOrderId(i) << ": " << sent << " " << reply.ShortDebugString());
    REQUIRE(sent.ok());
    REQUIRE(reply.accepted());
    if (reply.duplicate()) ++duplicates;
  }
  killer.join();
  REQUIRE(took_over_ns.load() != 0);
  const double takeover_ms = static_cast<double>(took_over_ns - killed_ns) / 1e6;
  std::cout << "execution takeover: " << takeover_ms
            << " ms from SIGKILL of the leader to the standby serving (poll interval 100 ms); "
            << duplicates << " order(s) answered from the dead leader's journal\n";
  // The bound is the approval's age limit (5 s): an order approved just before
  // the leader died must still be accepted by its successor.
  CHECK(takeover_ms < 5000);

  // Exactly once, in the journal and at the venue.
  CHECK(w.exec().Query("SELECT count(*) FROM exec_orders WHERE client_order_id LIKE 'ha-%'") ==
        std::to_string(kOrders));
  CHECK(w.exec().Query(
            "SELECT count(DISTINCT client_order_id) FROM exec_orders WHERE client_order_id "
            "LIKE 'ha-%'") == std::to_string(kOrders));
  std::vector<std::string> at_venue = w.VenueOpenClientIds();
  std::sort(at_venue.begin(), at_venue.end());
  std::vector<std::string> expected;
  for (int i = 0; i < kOrders; ++i) expected.push_back(ClientOrderId(i));
  std::sort(expected.begin(), expected.end());
  CHECK(at_venue == expected);
  // The successor wrote under the next epoch.
  admin::v1::ServiceStatus successor = w.exec().StatusAt(standby_port);
  CHECK(successor.role() == ROLE_LEADER);
  CHECK(successor.details().at("leader_epoch") == "2");
  CHECK(w.exec().Query("SELECT count(*) FROM exec_orders WHERE client_order_id = '" +
                       ClientOrderId(kOrders - 1) + "' AND fencing_epoch = 2") == "1");

  // The old leader, restarted, waits as the standby.
  w.exec().Start();
  REQUIRE(WaitUntil([&] { return w.exec().Status().role() == ROLE_STANDBY; },
                    std::chrono::seconds(30)));
  CHECK_FALSE(w.exec().Ready());
  standby->Signal(SIGTERM);
  CHECK(standby->Wait(std::chrono::seconds(20)).has_value());
}

TEST_CASE("a leader that loses its lock session stops at once and the standby takes over",
          "[ha][execution][pg]") {
  ReconWorld w({.execution_requires_clean_run = false});
  w.exec().EnableLeaderElection(100);
  w.exec().Start();
  w.exec().WaitReady();
  const int standby_port = testing::FreeTcpPort();
  std::unique_ptr<testing::Subprocess> standby = w.exec().StartInstance(1, standby_port);
  REQUIRE(WaitUntil([&] { return w.exec().StatusAt(standby_port).role() == ROLE_STANDBY; },
                    std::chrono::seconds(30)));
  // The leader's process lives, but the session holding its lock is cut (a
  // network partition from the database, an operator's pg_terminate_backend).
  CHECK(w.exec().Query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                       "datname = current_database() AND application_name LIKE "
                       "'tradeplane%execution-0'") == "1");
  std::optional<int> code = w.exec().WaitExit(std::chrono::seconds(10));
  INFO(w.exec().Log());
  REQUIRE(code.has_value());
  CHECK(*code == kDeposedExitCode);
  REQUIRE(
      WaitUntil([&] { return w.exec().StatusAt(standby_port).ready(); }, std::chrono::seconds(30)));
  CHECK(w.exec().StatusAt(standby_port).details().at("leader_epoch") == "2");
  CHECK_THAT(w.exec().Log(), Catch::Contains("leadership lost: stopping at once"));
}

}  // namespace
}  // namespace tradeplane::recon_test
