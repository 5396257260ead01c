// A small Binance spot endpoint for the adapter's tests: the REST calls the
// adapter makes (HMAC signatures checked against the key the signer holds),
// the user-data stream, one symbol (BTCUSDT), and the faults the tests need
// (5xx and 429 answers, an ack lost after the order was placed, a dropped
// stream with events missed meanwhile). Orders rest until the test fills
// them; a limit order at or through `market_price` fills at once.
#ifndef TRADEPLANE_TESTS_INTEGRATION_EXECUTION_BINANCE_TEST_VENUE_H_
#define TRADEPLANE_TESTS_INTEGRATION_EXECUTION_BINANCE_TEST_VENUE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tradeplane/net/http_server.h"
#include "tradeplane/net/websocket_server.h"

namespace tradeplane::testing {

class BinanceTestVenue {
 public:
  BinanceTestVenue(std::string api_key, std::string secret);
  ~BinanceTestVenue();

  std::string rest_url() const;
  std::string ws_url() const;

  // --- Faults -----------------------------------------------------------------------
  // The next `n` POST /api/v3/order answer `status` without placing anything
  // (429 carries Retry-After: `retry_after_s`).
  void FailNextOrders(int n, int status, int retry_after_s = 0);
  // The next `n` POST /api/v3/order are placed, and the connection is then
  // closed without an answer.
  void DropNextOrderAcks(int n);
  // Cuts every stream connection; with `mute`, events are not pushed until
  // Unmute() (they are missed, as during a disconnect).
  void DropStreams(bool mute);
  void Unmute();
  // The next `n` stream events are sent as text that is not JSON.
  void GarbleNextEvents(int n);

  // --- Market ----------------------------------------------------------------------
  // Fills `qty` of a resting order at its price (a trade), pushing the report.
  void Fill(const std::string& client_order_id, const std::string& qty);

  // --- Inspection ------------------------------------------------------------------
  int orders_placed() const;   // orders the venue accepted
  int order_requests() const;  // POST /api/v3/order received
  int bad_signatures() const;  // requests refused for their signature
  int stream_connections() const;
  std::string status_of(const std::string& client_order_id) const;

 private:
  struct Order {
    int64_t id = 0;
    std::string client_order_id;
    std::string side, type, tif;
    int64_t price = 0, qty = 0, executed = 0, quote = 0;  // fixed point raw
    std::string status;
    int64_t time_ms = 0;
  };
  struct Trade {
    int64_t id = 0;
    int64_t order_id = 0;
    int64_t price = 0, qty = 0;
    bool buyer = false;
    int64_t time_ms = 0;
  };

  net::HttpResponse Handle(const net::HttpRequest& request);
  bool SignatureOk(const net::HttpRequest& request) const;
  std::string OrderJson(const Order& o) const;
  std::string ReportJson(const Order& o, const std::string& exec_type, const Trade* trade) const;
  void Push(const std::string& event);
  Trade MakeTrade(Order& o, int64_t qty);  // caller holds mu_

  std::string api_key_;
  std::string secret_;
  mutable std::mutex mu_;
  std::map<std::string, Order> orders_;  // by client order id
  std::vector<Trade> trades_;
  int64_t next_order_id_ = 1000;
  int64_t next_trade_id_ = 500;
  int64_t market_price_ = 100'000'000'000;  // 100
  int fail_next_ = 0, fail_status_ = 0, retry_after_s_ = 0;
  int drop_next_ = 0;
  bool muted_ = false;
  int garble_next_ = 0;
  int placed_ = 0, order_requests_ = 0, bad_signatures_ = 0;
  std::set<net::ConnectionId> streams_;
  std::unique_ptr<net::HttpServer> http_;
  std::unique_ptr<net::WebSocketServer> ws_;
};

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTS_INTEGRATION_EXECUTION_BINANCE_TEST_VENUE_H_
