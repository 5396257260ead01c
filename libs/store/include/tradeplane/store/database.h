// Database: a process's connection to PostgreSQL — a small pool of libpqxx
// connections, the schema migrations, and the repositories built on them.
//
// Connecting never fails because the server is down: connections are opened
// on first use and reopened after they break, so a service can start without
// its database (and, e.g., stay PAUSED) and notice when it comes back. Calls
// made while it is down fail with UNAVAILABLE.
#ifndef TRADEPLANE_STORE_DATABASE_H_
#define TRADEPLANE_STORE_DATABASE_H_

#include <memory>
#include <string>
#include <vector>

#include "tradeplane/config/v1/common.pb.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::store {

// One db/migrations file: "NNNN_name.sql" and its SQL.
struct MigrationFile {
  std::string name;
  std::string sql;
};

struct MigrationReport {
  int schema_version = 0;            // the highest version now applied
  std::vector<std::string> applied;  // the files applied by this call
};

inline constexpr uint32_t kDefaultPoolSize = 4;
inline constexpr uint32_t kDefaultConnectTimeoutMs = 2000;

class Database {
 public:
  // Checks the config (conninfo required); opens nothing yet.
  static absl::StatusOr<std::unique_ptr<Database>> Create(const config::v1::StoreConfig& config);
  ~Database();

  // A round trip to the server (SELECT 1).
  absl::Status Ping();

  // Applies the migrations compiled into this binary (db/migrations), in
  // order, each in its own transaction, recorded in schema_migrations with a
  // checksum. Two processes migrating at once serialize on an advisory lock.
  // Refuses to run when an applied migration's text has changed, or when the
  // database is at a version this binary does not know (it is newer).
  absl::StatusOr<MigrationReport> Migrate();
  absl::StatusOr<MigrationReport> Migrate(const std::vector<MigrationFile>& migrations);

  class Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The migrations compiled into this binary.
const std::vector<MigrationFile>& EmbeddedMigrations();

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_DATABASE_H_
