// Real processes for tests: start one, wait on it with a deadline, signal it.
#ifndef TRADEPLANE_TESTING_SUBPROCESS_H_
#define TRADEPLANE_TESTING_SUBPROCESS_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include <sys/types.h>

namespace tradeplane::testing {

class Subprocess {
 public:
  struct Options {
    // Added to (or replacing in) the parent's environment.
    std::vector<std::pair<std::string, std::string>> env;
    // Standard output and error go to this file (created); empty = a temp file.
    std::string output_file;
    // Standard input comes from this file; empty = /dev/null.
    std::string input_file;
  };

  // argv[0] is a path to the binary.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(std::vector<std::string> argv,
                                                           Options options);
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(std::vector<std::string> argv) {
    return Start(std::move(argv), Options());
  }
  // Kills (SIGKILL) and reaps the process if it is still running.
  ~Subprocess();

  pid_t pid() const { return pid_; }
  bool Running();
  void Signal(int signal);
  // The exit code, or 128 + signal number if it died of a signal; nullopt if
  // still running at the deadline.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // Everything the process wrote to stdout and stderr so far.
  std::string Output() const;
  const std::string& output_file() const { return output_file_; }

 private:
  Subprocess(pid_t pid, std::string output_file, bool own_output)
      : pid_(pid), output_file_(std::move(output_file)), own_output_(own_output) {}
  bool Reap(bool block);

  pid_t pid_;
  std::string output_file_;
  bool own_output_;
  std::optional<int> exit_code_;
};

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs a command to completion (killed at the deadline, which is an error).
absl::StatusOr<CommandResult> RunCommand(
    std::vector<std::string> argv, std::chrono::milliseconds timeout = std::chrono::seconds(60),
    Subprocess::Options options = {});

// The path of a built binary, e.g. BinaryPath("tradeplane-recorder").
std::string BinaryPath(const std::string& name);

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTING_SUBPROCESS_H_
