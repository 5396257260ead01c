// Private: the libpqxx side of Database, for the repositories in this library.
#ifndef TRADEPLANE_STORE_SRC_DATABASE_IMPL_H_
#define TRADEPLANE_STORE_SRC_DATABASE_IMPL_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "tradeplane/store/database.h"

#include "absl/status/status.h"

namespace tradeplane::store {

class Database::Impl {
 public:
  explicit Impl(const config::v1::StoreConfig& config);

  // Runs `fn` in a transaction on a pooled connection and commits. libpqxx's
  // exceptions become a Status: UNAVAILABLE when the server cannot be
  // reached (the connection is dropped and reopened next time),
  // ALREADY_EXISTS for unique violations, FAILED_PRECONDITION for other
  // constraint violations, INTERNAL for the rest; `what` names the operation.
  absl::Status Transact(std::string_view what, const std::function<void(pqxx::work&)>& fn);

 private:
  struct Slot {
    std::unique_ptr<pqxx::connection> connection;
    bool in_use = false;
  };
  absl::StatusOr<size_t> Acquire(std::string_view what);
  void Release(size_t slot, bool broken);

  config::v1::StoreConfig config_;
  std::string conninfo_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Slot> slots_;
};

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_SRC_DATABASE_IMPL_H_
