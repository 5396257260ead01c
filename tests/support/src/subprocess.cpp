#include "tradeplane/testing/subprocess.h"

#include <cstdlib>
#include <cstring>
#include <map>

#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace tradeplane::testing {

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(std::vector<std::string> argv,
                                                              Options options) {
  if (argv.empty()) return absl::InvalidArgumentError("empty argv");
  bool own_output = options.output_file.empty();
  std::string output_file = options.output_file;
  if (own_output) {
    const char* base = std::getenv("TMPDIR");
    std::string templ =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/tp-out.XXXXXX";
    int fd = mkstemp(templ.data());
    if (fd < 0) return absl::InternalError("mkstemp failed");
    close(fd);
    output_file = templ;
  }
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : options.env) env[k] = v;
  std::vector<std::string> env_strings;
  for (auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string input = options.input_file.empty() ? "/dev/null" : options.input_file;
  posix_spawn_file_actions_addopen(&actions, 0, input.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so a test's Ctrl-C does not reach it twice.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid;
  int rc = posix_spawn(&pid, args[0], &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", argv[0], ": ", std::strerror(rc)));
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid, output_file, own_output));
}

Subprocess::~Subprocess() {
  if (!exit_code_.has_value()) {
    kill(pid_, SIGKILL);
    Reap(/*block=*/true);
  }
  if (own_output_) unlink(output_file_.c_str());
}

bool Subprocess::Reap(bool block) {
  if (exit_code_.has_value()) return true;
  int status = 0;
  pid_t r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r != pid_) return false;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

bool Subprocess::Running() { return !Reap(/*block=*/false); }

void Subprocess::Signal(int sig) {
  if (!exit_code_.has_value()) kill(pid_, sig);
}

std::optional<int> Subprocess::Wait(std::chrono::milliseconds timeout) {
  WaitUntil([this] { return Reap(/*block=*/false); }, timeout);
  return exit_code_;
}

std::string Subprocess::Output() const { return ReadFile(output_file_); }

absl::StatusOr<CommandResult> RunCommand(std::vector<std::string> argv,
                                         std::chrono::milliseconds timeout,
                                         Subprocess::Options options) {
  std::string name = argv.empty() ? "" : argv[0];
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(std::move(argv), options);
  if (!p.ok()) return p.status();
  std::optional<int> code = (*p)->Wait(timeout);
  if (!code.has_value()) {
    return absl::DeadlineExceededError(absl::StrCat(name, " did not finish in ", timeout.count(),
                                                    " ms; output:\n", (*p)->Output()));
  }
  return CommandResult{*code, (*p)->Output()};
}

std::string BinaryPath(const std::string& name) {
  // Tests run from their own build directory; binaries sit in <build>/bin.
  const char* dir = std::getenv("TRADEPLANE_BIN_DIR");
  if (dir != nullptr && *dir != '\0') return std::string(dir) + "/" + name;
  return std::string(TRADEPLANE_BINARY_DIR) + "/bin/" + name;
}

}  // namespace tradeplane::testing
