// A real PostgreSQL for tests, started with scripts/pg-local.sh.
#ifndef TRADEPLANE_TESTING_PG_CLUSTER_H_
#define TRADEPLANE_TESTING_PG_CLUSTER_H_

#include <memory>
#include <string>

#include "tradeplane/testing/temp_dir.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::testing {

class PgCluster {
 public:
  // A new cluster in a fresh temporary directory; destroyed with the object.
  static absl::StatusOr<std::unique_ptr<PgCluster>> Start();
  // The cluster the ctest fixture started (its directory in
  // TRADEPLANE_TEST_PG_DIR) when there is one, else a new one for this
  // process. Aborts the test binary with the reason when neither works.
  static PgCluster& Shared();
  ~PgCluster();

  const std::string& dir() const { return dir_; }
  std::string Conninfo(const std::string& dbname = "tradeplane") const;
  // A fresh, empty database in this cluster; returns its conninfo.
  absl::StatusOr<std::string> CreateDatabase();
  // Stop and start the same cluster (data kept): losing the database mid-run.
  absl::Status Stop();
  absl::Status Restart();

 private:
  PgCluster(std::unique_ptr<TempDir> owned, std::string dir)
      : owned_(std::move(owned)), dir_(std::move(dir)) {}
  std::unique_ptr<TempDir> owned_;  // null when the fixture owns the cluster
  std::string dir_;
};

// Runs `sql` with psql against the database `conninfo` names: the rows as
// unaligned text (fields separated by '|', one row per line, trailing
// whitespace trimmed), or an error carrying psql's message.
absl::StatusOr<std::string> RunSql(const std::string& conninfo, const std::string& sql);

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTING_PG_CLUSTER_H_
