#include "tradeplane/bench/service_process.h"

#include <csignal>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::bench {
namespace {

std::string LastBytes(const std::string& text, size_t max_bytes) {
  return text.size() > max_bytes ? "..." + text.substr(text.size() - max_bytes) : text;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(ServiceOptions options) {
  testing::Subprocess::Options spawn;
  spawn.output_file = options.output_file;
  spawn.env = options.env;
  absl::StatusOr<std::unique_ptr<testing::Subprocess>> process =
      testing::Subprocess::Start(options.argv, spawn);
  if (!process.ok()) return process.status();
  std::unique_ptr<ServiceProcess> service(
      new ServiceProcess(std::move(options), std::move(*process)));
  bool ready = testing::WaitUntil([&] { return !service->Running() || service->options_.ready(); },
                                  service->options_.timeout);
  if (!ready || !service->Running()) {
    return absl::UnavailableError(service->options_.name +
                                  (service->Running() ? " was not ready in time" : " exited") +
                                  "; its output and log end with:\n" + service->Tail());
  }
  return service;
}

ServiceProcess::~ServiceProcess() {
  process_->Signal(SIGTERM);
  if (!process_->Wait(std::chrono::seconds(10)).has_value()) process_->Signal(SIGKILL);
}

std::string ServiceProcess::Tail(size_t max_bytes) const {
  std::string out = "[output] " + LastBytes(process_->Output(), max_bytes);
  if (!options_.log_file.empty()) {
    out += "\n[log] " + LastBytes(testing::ReadFile(options_.log_file), max_bytes);
  }
  return out;
}

bool AdminSaysReady(const std::string& target, const std::string& token) {
  return admin::ServiceSaysReady({.target = target, .token = token, .timeout_ms = 2000});
}

}  // namespace tradeplane::bench
