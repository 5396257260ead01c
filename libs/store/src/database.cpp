#include "tradeplane/store/database.h"

#include <chrono>
#include <map>
#include <optional>

#include <openssl/sha.h>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

#include "database_impl.h"

namespace tradeplane::store {
namespace {

// Any constant: the advisory lock that serializes concurrent migrations.
constexpr int64_t kMigrationLockKey = 0x7472616465706c61;  // "tradepla"

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

absl::StatusOr<int> VersionOf(const std::string& name) {
  int version = 0;
  size_t i = 0;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i)
    version = version * 10 + (name[i] - '0');
  if (i != 4 || i >= name.size() || name[i] != '_' || !name.ends_with(".sql")) {
    return absl::InvalidArgumentError(
        StrCat("migration file '", name, "' is not named NNNN_name.sql"));
  }
  return version;
}

}  // namespace

Database::Impl::Impl(const config::v1::StoreConfig& config) : config_(config) {
  uint32_t timeout_ms =
      config.connect_timeout_ms() != 0 ? config.connect_timeout_ms() : kDefaultConnectTimeoutMs;
  // libpq's connect_timeout is whole seconds, at least 2 to mean anything.
  conninfo_ = StrCat(config.conninfo(),
                     " connect_timeout=", std::max<uint32_t>(2, (timeout_ms + 999) / 1000));
  slots_.resize(config.pool_size() != 0 ? config.pool_size() : kDefaultPoolSize);
}

absl::StatusOr<size_t> Database::Impl::Acquire(std::string_view what) {
  std::unique_lock<std::mutex> lock(mu_);
  auto free_slot = [&]() -> std::optional<size_t> {
    // Prefer a slot with an open connection.
    std::optional<size_t> empty;
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].in_use) continue;
      if (slots_[i].connection != nullptr) return i;
      if (!empty) empty = i;
    }
    return empty;
  };
  std::optional<size_t> slot;
  if (!cv_.wait_for(lock, std::chrono::seconds(10),
                    [&] { return (slot = free_slot()).has_value(); })) {
    return absl::ResourceExhaustedError(StrCat(what, ": no free database connection in 10 s"));
  }
  slots_[*slot].in_use = true;
  if (slots_[*slot].connection == nullptr) {
    lock.unlock();
    try {
      auto c = std::make_unique<pqxx::connection>(conninfo_);
      lock.lock();
      slots_[*slot].connection = std::move(c);
    } catch (const std::exception& e) {
      lock.lock();
      slots_[*slot].in_use = false;
      cv_.notify_one();
      std::string why = e.what();
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      return absl::UnavailableError(StrCat(what, ": cannot connect to the database: ", why));
    }
  }
  return *slot;
}

void Database::Impl::Release(size_t slot, bool broken) {
  std::lock_guard<std::mutex> lock(mu_);
  if (broken) slots_[slot].connection.reset();
  slots_[slot].in_use = false;
  cv_.notify_one();
}

absl::Status Database::Impl::Transact(std::string_view what,
                                      const std::function<void(pqxx::work&)>& fn) {
  absl::StatusOr<size_t> slot = Acquire(what);
  if (!slot.ok()) return slot.status();
  pqxx::connection& c = *slots_[*slot].connection;
  bool broken = false;
  absl::Status result;
  try {
    pqxx::work tx(c);
    fn(tx);
    tx.commit();
  } catch (const pqxx::broken_connection& e) {
    broken = true;
    result = absl::UnavailableError(StrCat(what, ": database connection lost: ", e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    broken = true;
    result = absl::UnavailableError(StrCat(what, ": commit outcome unknown: ", e.what()));
  } catch (const pqxx::unique_violation& e) {
    result = absl::AlreadyExistsError(StrCat(what, ": ", e.what()));
  } catch (const pqxx::integrity_constraint_violation& e) {
    result = absl::FailedPreconditionError(StrCat(what, ": ", e.what()));
  } catch (const pqxx::sql_error& e) {
    // 57P01 admin_shutdown and friends: the server went away mid-statement.
    std::string state = e.sqlstate();
    broken = state.starts_with("57P") || state.starts_with("08");
    result = broken ? absl::UnavailableError(StrCat(what, ": ", e.what()))
                    : absl::InternalError(StrCat(what, ": ", e.what(), " [", state, "]"));
  } catch (const std::exception& e) {
    broken = !c.is_open();
    result = broken ? absl::UnavailableError(StrCat(what, ": ", e.what()))
                    : absl::InternalError(StrCat(what, ": ", e.what()));
  }
  if (!broken && !c.is_open()) broken = true;
  Release(*slot, broken);
  return result;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Create(const config::v1::StoreConfig& config) {
  if (config.conninfo().empty()) {
    return absl::InvalidArgumentError("store.conninfo is required (a libpq connection string)");
  }
  return std::unique_ptr<Database>(new Database(std::make_unique<Impl>(config)));
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

absl::Status Database::Ping() {
  return impl_->Transact("ping", [](pqxx::work& tx) { tx.exec("SELECT 1"); });
}

absl::StatusOr<MigrationReport> Database::Migrate() { return Migrate(EmbeddedMigrations()); }

absl::StatusOr<MigrationReport> Database::Migrate(const std::vector<MigrationFile>& migrations) {
  std::map<int, const MigrationFile*> by_version;
  for (const MigrationFile& m : migrations) {
    absl::StatusOr<int> v = VersionOf(m.name);
    if (!v.ok()) return v.status();
    if (!by_version.emplace(*v, &m).second) {
      return absl::InvalidArgumentError(StrCat("two migrations have version ", *v));
    }
  }
  MigrationReport report;
  absl::Status setup = impl_->Transact("create schema_migrations", [](pqxx::work& tx) {
    tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
  });
  if (!setup.ok()) return setup;
  for (const auto& [version, file] : by_version) {
    std::string checksum = Sha256Hex(file->sql);
    absl::Status failure;
    bool applied_now = false;
    absl::Status s = impl_->Transact(StrCat("migration ", file->name), [&](pqxx::work& tx) {
      tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
      pqxx::result newest = tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
      int max_known = by_version.rbegin()->first;
      if (newest[0][0].as<int>() > max_known) {
        failure = absl::FailedPreconditionError(
            StrCat("the database schema is at version ", newest[0][0].as<int>(),
                   ", newer than this binary knows (", max_known, "): upgrade the binary"));
        return;
      }
      pqxx::result r =
          tx.exec_params("SELECT checksum FROM schema_migrations WHERE version = $1", version);
      if (!r.empty()) {
        if (r[0][0].as<std::string>() != checksum) {
          failure = absl::FailedPreconditionError(
              StrCat("migration ", file->name,
                     " was changed after it was applied "
                     "(checksum differs): add a new migration instead"));
        }
        return;
      }
      tx.exec(file->sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                     version, file->name, checksum);
      applied_now = true;
    });
    if (!s.ok()) return s;
    if (!failure.ok()) return failure;
    if (applied_now) {
      report.applied.push_back(file->name);
      telemetry::LogInfo("database migration applied", {{"migration", file->name}});
    }
    report.schema_version = version;
  }
  return report;
}

}  // namespace tradeplane::store

// libpqxx 6.4 leaks a PGresult inside libpq when a statement fails on a
// connection the server has dropped. It is theirs and bounded (one per lost
// connection), so LeakSanitizer is told to ignore exactly that allocation
// site in binaries that use the store. It lives here, not in a file of its
// own, because the linker keeps this object file whenever the store is used.
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char* __lsan_default_suppressions() { return "leak:PQmakeEmptyPGresult\n"; }
#endif
