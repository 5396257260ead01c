// A service binary run by a process-level benchmark: started with its
// arguments, its standard output kept in a file, waited for until it says it
// is ready (or it exits, or the deadline passes: then the error carries the
// end of its output and log, so a failed run says why).
#ifndef TRADEPLANE_BENCH_SERVICE_PROCESS_H_
#define TRADEPLANE_BENCH_SERVICE_PROCESS_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tradeplane/testing/subprocess.h"

#include "absl/status/statusor.h"

namespace tradeplane::bench {

struct ServiceOptions {
  std::string name;               // "signer", for messages
  std::vector<std::string> argv;  // argv[0]: the binary's path
  std::string output_file;        // standard output and error
  std::string log_file;           // the service's own log, quoted on failure
  std::vector<std::pair<std::string, std::string>> env;
  std::function<bool()> ready;  // polled until true
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

class ServiceProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(ServiceOptions options);
  // SIGTERM, then SIGKILL after 10 s.
  ~ServiceProcess();

  bool Running() { return process_->Running(); }
  // The last `max_bytes` of its output and of its log, for error messages.
  std::string Tail(size_t max_bytes = 3000) const;
  const std::string& name() const { return options_.name; }

 private:
  ServiceProcess(ServiceOptions options, std::unique_ptr<testing::Subprocess> process)
      : options_(std::move(options)), process_(std::move(process)) {}
  ServiceOptions options_;
  std::unique_ptr<testing::Subprocess> process_;
};

// True when the service's admin server at `target` ("127.0.0.1:port") says
// it is ready (Admin.GetStatus), with `token` ("name:secret").
bool AdminSaysReady(const std::string& target, const std::string& token);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_SERVICE_PROCESS_H_
