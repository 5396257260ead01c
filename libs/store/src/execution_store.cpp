#include "tradeplane/store/execution_store.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "bytea.h"
#include "database_impl.h"

namespace tradeplane::store {
namespace {

constexpr uint32_t kDefaultListLimit = 1000;
constexpr char kOpenStatuses[] = "('PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL')";
constexpr char kOrderColumns[] =
    "client_order_id, intent_id, decision_id, order_proto, status_before_cancel, sent, "
    "filled_notional_e18";

std::string StatusName(orders::v1::OrderStatus s) { return std::string(ShortEnumName(s)); }

// A row selected with kOrderColumns. A row whose order does not parse is
// reported, never skipped: a journal that cannot be read must stop recovery.
absl::StatusOr<JournaledOrder> ReadOrderRow(const pqxx::row& row) {
  JournaledOrder o;
  std::string id = row[0].as<std::string>();
  o.intent_id = row[1].as<std::string>();
  o.decision_id = row[2].as<std::string>();
  if (!ParseBytea(row[3], &o.order)) {
    return absl::DataLossError(StrCat("exec_orders: order_proto of ", id, " does not parse"));
  }
  std::string before = row[4].as<std::string>();
  if (!before.empty() && !ParseEnum(before, &o.status_before_cancel)) {
    return absl::DataLossError(
        StrCat("exec_orders: status_before_cancel '", before, "' of ", id, " is not a status"));
  }
  o.sent = row[5].as<bool>();
  o.filled_notional_e18 = row[6].as<std::string>();
  return o;
}

// Every write carries the writer's fencing epoch (0 without leader election):
// the trigger of 0008_leadership.sql refuses one older than the role's
// current epoch, so a deposed leader's late writes fail.
void WriteOrder(pqxx::work& tx, const JournaledOrder& o, int64_t epoch, std::string* buffer) {
  const orders::v1::Order& p = o.order;
  pqxx::result r = tx.exec_params(
      "UPDATE exec_orders SET venue_order_id = $2, status = $3, order_proto = $4, "
      "updated_ns = $5, status_before_cancel = $6, sent = $7, filled_notional_e18 = $8, "
      "fencing_epoch = $9 WHERE client_order_id = $1",
      p.client_order_id(), p.venue_order_id(), StatusName(p.status()), Bytes(p, buffer),
      p.updated_ns(),
      o.status_before_cancel == orders::v1::ORDER_STATUS_UNSPECIFIED
          ? std::string()
          : StatusName(o.status_before_cancel),
      o.sent, o.filled_notional_e18, epoch);
  if (r.affected_rows() != 1) {
    throw std::runtime_error(StrCat("order ", p.client_order_id(), " is not journaled"));
  }
}

void WriteEvent(pqxx::work& tx, const orders::v1::Order& order, const OrderEventRecord& e,
                int64_t epoch) {
  tx.exec_params(
      "INSERT INTO exec_order_events (client_order_id, event, status, detail, event_ns, "
      "fencing_epoch) VALUES ($1, $2, $3, $4, $5, $6)",
      order.client_order_id(), e.event, StatusName(order.status()), e.detail, e.event_ns, epoch);
}

std::vector<orders::v1::Fill> ReadFills(const pqxx::result& r) {
  std::vector<orders::v1::Fill> out;
  out.reserve(r.size());
  for (const auto& row : r) {
    orders::v1::Fill f;
    if (ParseBytea(row[0], &f)) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

absl::StatusOr<ExecutionStore::InsertResult> ExecutionStore::InsertOrder(
    const JournaledOrder& o, const OrderEventRecord& event) {
  InsertResult result;
  absl::Status failure;
  std::string buffer;
  const orders::v1::Order& p = o.order;
  int64_t epoch = fencing_epoch();
  absl::Status s = db_.impl().Transact("journal a new order", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "INSERT INTO exec_orders (client_order_id, intent_id, decision_id, strategy_id, venue, "
        "symbol, venue_order_id, status, order_proto, created_ns, updated_ns, sent, "
        "fencing_epoch) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (client_order_id) DO NOTHING",
        p.client_order_id(), o.intent_id, o.decision_id, p.strategy_id(),
        std::string(ShortEnumName(p.instrument().venue())), p.instrument().symbol(),
        p.venue_order_id(), StatusName(p.status()), Bytes(p, &buffer), p.created_ns(),
        p.updated_ns(), o.sent, epoch);
    if (r.affected_rows() == 1) {
      WriteEvent(tx, p, event, epoch);
      result.inserted = true;
      return;
    }
    pqxx::result existing = tx.exec_params(
        StrCat("SELECT ", kOrderColumns, " FROM exec_orders WHERE client_order_id = $1"),
        p.client_order_id());
    absl::StatusOr<JournaledOrder> stored = ReadOrderRow(existing.at(0));
    if (!stored.ok()) {
      failure = stored.status();
      return;
    }
    result.order = std::move(*stored);
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return result;
}

absl::Status ExecutionStore::UpdateOrder(const JournaledOrder& o,
                                         const std::vector<OrderEventRecord>& events) {
  std::string buffer;
  int64_t epoch = fencing_epoch();
  absl::Status s = db_.impl().Transact("journal an order change", [&](pqxx::work& tx) {
    WriteOrder(tx, o, epoch, &buffer);
    for (const OrderEventRecord& e : events) WriteEvent(tx, o.order, e, epoch);
  });
  if (s.code() == absl::StatusCode::kInternal &&
      ToStd(s.message()).find("is not journaled") != std::string_view::npos) {
    return absl::NotFoundError(s.message());
  }
  return s;
}

absl::StatusOr<bool> ExecutionStore::RecordFill(const orders::v1::Fill& f, int64_t journaled_ns,
                                                const JournaledOrder& o,
                                                const OrderEventRecord& event) {
  bool inserted = false;
  std::string buffer;
  int64_t epoch = fencing_epoch();
  absl::Status s = db_.impl().Transact("journal a fill", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "INSERT INTO exec_fills (fill_id, client_order_id, venue, symbol, source, fill, "
        "exchange_ns, journaled_ns, side, qty, fencing_epoch) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (fill_id) DO NOTHING",
        f.fill_id(), f.client_order_id(), std::string(ShortEnumName(f.instrument().venue())),
        f.instrument().symbol(), std::string(ShortEnumName(f.source())), Bytes(f, &buffer),
        f.exchange_time_ns(), journaled_ns, std::string(ShortEnumName(f.side())), f.qty(), epoch);
    if (r.affected_rows() != 1) return;  // seen before: the order already counts it
    WriteOrder(tx, o, epoch, &buffer);
    WriteEvent(tx, o.order, event, epoch);
    inserted = true;
  });
  if (!s.ok()) return s;
  return inserted;
}

absl::Status ExecutionStore::MarkFillsPublished(const std::vector<std::string>& fill_ids) {
  if (fill_ids.empty()) return absl::OkStatus();
  int64_t epoch = fencing_epoch();
  return db_.impl().Transact("mark fills published", [&](pqxx::work& tx) {
    for (const std::string& id : fill_ids) {
      tx.exec_params(
          "UPDATE exec_fills SET published = true, fencing_epoch = $2 WHERE fill_id = $1", id,
          epoch);
    }
  });
}

absl::StatusOr<std::vector<orders::v1::Fill>> ExecutionStore::UnpublishedFills() {
  std::vector<orders::v1::Fill> out;
  absl::Status s = db_.impl().Transact("read unpublished fills", [&](pqxx::work& tx) {
    out = ReadFills(
        tx.exec("SELECT fill FROM exec_fills WHERE NOT published ORDER BY journaled_ns, fill_id"));
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::optional<JournaledOrder>> ExecutionStore::FindOrder(
    std::string_view client_order_id) {
  std::optional<JournaledOrder> out;
  absl::Status failure;
  absl::Status s = db_.impl().Transact("find an order", [&](pqxx::work& tx) {
    std::string id(client_order_id);
    pqxx::result r = tx.exec_params(
        StrCat("SELECT ", kOrderColumns, " FROM exec_orders WHERE client_order_id = $1"), id);
    if (r.empty()) return;
    absl::StatusOr<JournaledOrder> o = ReadOrderRow(r[0]);
    if (!o.ok()) {
      failure = o.status();
      return;
    }
    for (const auto& row :
         tx.exec_params("SELECT fill_id FROM exec_fills WHERE client_order_id = $1", id)) {
      o->fill_ids.push_back(row[0].as<std::string>());
    }
    out = std::move(*o);
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return out;
}

absl::StatusOr<std::vector<JournaledOrder>> ExecutionStore::OpenOrders() {
  std::vector<JournaledOrder> out;
  absl::Status failure;
  absl::Status s = db_.impl().Transact("read open orders", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec(StrCat("SELECT ", kOrderColumns, " FROM exec_orders WHERE status IN ",
                                    kOpenStatuses, " ORDER BY created_ns, client_order_id"));
    for (const auto& row : r) {
      absl::StatusOr<JournaledOrder> o = ReadOrderRow(row);
      if (!o.ok()) {
        failure = o.status();
        return;
      }
      out.push_back(std::move(*o));
    }
    for (JournaledOrder& o : out) {
      for (const auto& row : tx.exec_params(
               "SELECT fill_id FROM exec_fills WHERE client_order_id = $1 ORDER BY journaled_ns",
               o.order.client_order_id())) {
        o.fill_ids.push_back(row[0].as<std::string>());
      }
    }
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return out;
}

absl::StatusOr<std::vector<orders::v1::Order>> ExecutionStore::ListOrders(bool open_only,
                                                                          uint32_t limit) {
  std::vector<orders::v1::Order> out;
  absl::Status s = db_.impl().Transact("list orders", [&](pqxx::work& tx) {
    std::string where = open_only ? StrCat(" WHERE status IN ", kOpenStatuses) : std::string();
    pqxx::result r = tx.exec_params(StrCat("SELECT order_proto FROM exec_orders", where,
                                           " ORDER BY created_ns DESC, client_order_id LIMIT $1"),
                                    static_cast<int64_t>(limit == 0 ? kDefaultListLimit : limit));
    for (const auto& row : r) {
      orders::v1::Order o;
      if (ParseBytea(row[0], &o)) out.push_back(std::move(o));
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<orders::v1::Fill>> ExecutionStore::ListFills(int64_t since_ns,
                                                                        uint32_t limit) {
  std::vector<orders::v1::Fill> out;
  absl::Status s = db_.impl().Transact("list fills", [&](pqxx::work& tx) {
    out = ReadFills(tx.exec_params(
        "SELECT fill FROM exec_fills WHERE journaled_ns >= $1 ORDER BY journaled_ns, fill_id "
        "LIMIT $2",
        since_ns, static_cast<int64_t>(limit == 0 ? kDefaultListLimit : limit)));
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<orders::v1::Fill>> ExecutionStore::FillsOfOrder(
    std::string_view client_order_id) {
  std::vector<orders::v1::Fill> out;
  absl::Status s = db_.impl().Transact("read an order's fills", [&](pqxx::work& tx) {
    out = ReadFills(tx.exec_params(
        "SELECT fill FROM exec_fills WHERE client_order_id = $1 ORDER BY journaled_ns, fill_id",
        std::string(client_order_id)));
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<StoredOrderEvent>> ExecutionStore::EventsOf(
    std::string_view client_order_id) {
  std::vector<StoredOrderEvent> out;
  absl::Status s = db_.impl().Transact("read an order's events", [&](pqxx::work& tx) {
    for (const auto& row :
         tx.exec_params("SELECT seq, event, status, detail, event_ns FROM exec_order_events "
                        "WHERE client_order_id = $1 ORDER BY seq",
                        std::string(client_order_id))) {
      out.push_back({row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     row[3].as<std::string>(), row[4].as<int64_t>()});
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status ExecutionStore::AppendAnomaly(std::string_view kind, std::string_view client_order_id,
                                           std::string_view detail, int64_t at_ns) {
  return db_.impl().Transact("journal an anomaly", [&](pqxx::work& tx) {
    tx.exec_params(
        "INSERT INTO exec_anomalies (kind, client_order_id, detail, at_ns) VALUES ($1, $2, $3, $4)",
        std::string(kind), std::string(client_order_id), std::string(detail), at_ns);
  });
}

absl::StatusOr<std::vector<Anomaly>> ExecutionStore::Anomalies(uint32_t limit) {
  std::vector<Anomaly> out;
  absl::Status s = db_.impl().Transact("read anomalies", [&](pqxx::work& tx) {
    for (const auto& row :
         tx.exec_params("SELECT id, kind, client_order_id, detail, at_ns FROM exec_anomalies "
                        "ORDER BY id DESC LIMIT $1",
                        static_cast<int64_t>(limit == 0 ? kDefaultListLimit : limit))) {
      out.push_back({row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     row[3].as<std::string>(), row[4].as<int64_t>()});
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status ExecutionStore::RecordStartOverride(std::string_view actor, std::string_view reason,
                                                 int64_t at_ns) {
  return db_.impl().Transact("record a start-gate override", [&](pqxx::work& tx) {
    tx.exec_params("INSERT INTO exec_start_overrides (actor, reason, at_ns) VALUES ($1, $2, $3)",
                   std::string(actor), std::string(reason), at_ns);
  });
}

absl::StatusOr<std::vector<NetPosition>> ExecutionStore::NetPositions() {
  std::vector<NetPosition> out;
  absl::Status s = db_.impl().Transact("read net positions", [&](pqxx::work& tx) {
    for (const auto& row : tx.exec(
             "SELECT venue, symbol, "
             "sum(CASE WHEN side = 'BUY' THEN qty WHEN side = 'SELL' THEN -qty ELSE 0 END)::bigint "
             "FROM exec_fills GROUP BY venue, symbol ORDER BY venue, symbol")) {
      out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int64_t>()});
    }
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace tradeplane::store
