#include "tradeplane/testing/pg_cluster.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "tradeplane/testing/subprocess.h"

#include "absl/strings/str_cat.h"
#include <unistd.h>

namespace tradeplane::testing {
namespace {

std::string Script() { return std::string(TRADEPLANE_SOURCE_DIR) + "/scripts/pg-local.sh"; }

absl::Status RunScript(const std::string& verb, const std::string& dir) {
  absl::StatusOr<CommandResult> r =
      RunCommand({"/bin/bash", Script(), verb, dir}, std::chrono::seconds(60));
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("pg-local.sh ", verb, " failed (exit ", r->exit_code, "): ", r->output));
  }
  return absl::OkStatus();
}

std::string PsqlPath() {
  for (const char* p : {"/usr/bin/psql", "/usr/lib/postgresql/15/bin/psql"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "psql";
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgCluster>> PgCluster::Start() {
  auto tmp = std::make_unique<TempDir>();
  std::string dir = tmp->path();
  absl::Status s = RunScript("start", dir);
  if (!s.ok()) return s;
  return std::unique_ptr<PgCluster>(new PgCluster(std::move(tmp), dir));
}

PgCluster& PgCluster::Shared() {
  // Destroyed (and the cluster it started removed) when the test binary exits.
  static std::unique_ptr<PgCluster> shared = []() -> std::unique_ptr<PgCluster> {
    const char* dir = std::getenv("TRADEPLANE_TEST_PG_DIR");
    if (dir != nullptr && *dir != '\0' && RunScript("status", dir).ok()) {
      return std::unique_ptr<PgCluster>(new PgCluster(nullptr, dir));
    }
    absl::StatusOr<std::unique_ptr<PgCluster>> c = Start();
    if (!c.ok()) {
      std::fprintf(stderr, "cannot start a PostgreSQL cluster for tests: %s\n",
                   std::string(c.status().message()).c_str());
      std::abort();
    }
    return std::move(*c);
  }();
  return *shared;
}

PgCluster::~PgCluster() {
  if (owned_ != nullptr) (void)RunScript("destroy", dir_);
}

std::string PgCluster::Conninfo(const std::string& dbname) const {
  return absl::StrCat("host=", dir_, " port=5432 user=tradeplane dbname=", dbname);
}

absl::StatusOr<std::string> PgCluster::CreateDatabase() {
  static std::atomic<int> counter{0};
  std::string name =
      absl::StrCat("t_", getpid(), "_", counter.fetch_add(1), "_", std::rand() % 100000);
  absl::StatusOr<CommandResult> r =
      RunCommand({PsqlPath(), "-h", dir_, "-U", "tradeplane", "-d", "postgres", "-v",
                  "ON_ERROR_STOP=1", "-qc", absl::StrCat("CREATE DATABASE ", name)},
                 std::chrono::seconds(30));
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) return absl::InternalError("CREATE DATABASE failed: " + r->output);
  return Conninfo(name);
}

absl::Status PgCluster::Stop() { return RunScript("stop", dir_); }
absl::Status PgCluster::Restart() { return RunScript("start", dir_); }

absl::StatusOr<std::string> RunSql(const std::string& conninfo, const std::string& sql) {
  absl::StatusOr<CommandResult> r =
      RunCommand({PsqlPath(), "-d", conninfo, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", sql},
                 std::chrono::seconds(30));
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("psql failed (exit ", r->exit_code, ") on '", sql, "': ", r->output));
  }
  std::string out = r->output;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace tradeplane::testing
