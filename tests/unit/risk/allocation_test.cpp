// The approve path allocates nothing after warm-up. This file replaces the
// global operator new of the risk_test binary with one that counts while a
// flag is set (the counting costs nothing otherwise).
#include <cstdlib>
#include <new>

#include <catch2/catch.hpp>

#include "risk_fixture.h"

namespace {
bool g_counting = false;
long g_allocations = 0;

void* Allocate(std::size_t size, std::size_t alignment) {
  if (g_counting) ++g_allocations;
  if (size == 0) size = 1;
  void* p = alignment <= alignof(std::max_align_t)
                ? std::malloc(size)
                : std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

// GCC sees free() of what these operator new return and cannot tell it came
// from malloc: the pairing is right by construction.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) { return Allocate(size, alignof(std::max_align_t)); }
void* operator new[](std::size_t size) { return Allocate(size, alignof(std::max_align_t)); }
void* operator new(std::size_t size, std::align_val_t a) {
  return Allocate(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return Allocate(size, static_cast<std::size_t>(a));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  auto alignment = static_cast<std::size_t>(a);
  return std::aligned_alloc(alignment, (size + alignment) / alignment * alignment);
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  auto alignment = static_cast<std::size_t>(a);
  return std::aligned_alloc(alignment, (size + alignment) / alignment * alignment);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

TEST_CASE("approving, recording, quoting and closing orders allocate nothing after warm-up",
          "[risk][check][alloc]") {
  RiskFixture f;
  f.LimitsOf(f.nkn)->set_max_concentration(0.5);
  f.LimitsOf(f.nkn)->set_max_orders_per_second(100000);
  f.LimitsOf(f.amzn)->set_max_cancels_per_second(100000);
  f.StrategyLimitsOf("mm")->set_max_open_orders(100);
  f.StrategyLimitsOf("mm")->set_max_orders_per_second(100000);
  f.StrategyLimitsOf("mm")->set_max_notional(Raw("100000"));
  f.Build();
  f.state->SetStartingEquity(Amt("1000000"));
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "10", "3355.10"));

  // Intents built up front: building one allocates its strings.
  std::vector<OrderIntent> orders;
  for (int k = 0; k < 20; ++k) {
    orders.push_back(f.Limit(k % 2 == 0 ? f.nkn : f.amzn, kBuy, k % 2 == 0 ? "100" : "1",
                             k % 2 == 0 ? "0.3520" : "3355.00"));
  }
  orders.push_back(f.Market(f.amzn, kBuy, "1"));
  std::vector<OrderIntent> cancels;
  for (const OrderIntent& o : orders) cancels.push_back(f.Cancel(o));
  marketdata::Quote quote;
  quote.instrument = f.nkn;
  quote.bid_price = Px("0.3521");
  quote.ask_price = Px("0.3525");
  quote.bid_qty = quote.ask_qty = Qty("5000");

  auto round = [&](Timestamp now) {
    int approved = 0;
    for (const OrderIntent& o : orders)
      approved += EvaluateAndRecord(o, f.state.get(), now).approved;
    for (const OrderIntent& c : cancels) {
      if (f.state->open_orders().Find(c.cancel_client_order_id) != nullptr) {
        approved += EvaluateAndRecord(c, f.state.get(), now).approved;
      }
    }
    for (const OrderIntent& o : orders) {
      f.state->OnOrderStatus(o.client_order_id, orders::v1::ORDER_STATUS_CANCELED);
    }
    f.state->OnQuote(quote, now);
    return approved;
  };
  // 21 orders (20 limit, 1 market), then a cancel of each.
  int warm = round(kT0);
  CHECK(warm == 42);
  round(kT0 + std::chrono::milliseconds(1));

  g_allocations = 0;
  g_counting = true;
  int approved = 0;
  for (int k = 2; k < 50; ++k) approved += round(kT0 + std::chrono::milliseconds(k));
  g_counting = false;
  CHECK(approved == 42 * 48);
  CHECK(g_allocations == 0);
}

TEST_CASE("a refusal may allocate its sentence", "[risk][check][alloc]") {
  RiskFixture f;
  f.Build();
  OrderIntent fat_finger = f.Limit(f.amzn, kBuy, "1", "3700.00");
  g_allocations = 0;
  g_counting = true;
  Decision d = f.Check(fat_finger);
  g_counting = false;
  CHECK_FALSE(d.approved);
  CHECK(g_allocations > 0);  // shows the counter counts
}

}  // namespace
}  // namespace tradeplane::risk
