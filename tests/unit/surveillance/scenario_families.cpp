// The scenario families: for each detector, abusive variants of several
// shapes and sizes (each its own participant) and near misses that must not
// fire. Times are New York seconds after midnight within the AMZN half-hour.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "scenario_support.h"

namespace tradeplane::surveillance::testing {
namespace {

using marketdata::LobsterEventType;
constexpr Side kBuy = common::v1::SIDE_BUY;
constexpr Side kSell = common::v1::SIDE_SELL;

std::string Name(std::string_view prefix, int i) {
  std::string n = std::to_string(i);
  if (n.size() < 2) n = "0" + n;
  return std::string(prefix) + n;
}

Side Other(Side side) { return side == kBuy ? kSell : kBuy; }

// `bps` of `price`, in whole cents (at least one).
int64_t BpsInCents(Price price, double bps) {
  return std::max<int64_t>(1, std::llround(static_cast<double>(CentsOf(price)) * bps / 1e4));
}

int64_t MidCents(const MarketSnapshot& m) { return (CentsOf(m.bid) + CentsOf(m.ask)) / 2; }

// ---------------------------------------------------------------- spoofing

struct SpoofShape {
  int layers = 1;
  double size_to_depth = 1;
  double cancel_after_s = -1;  // < 0: right after the opposite fill
  bool fill_after_cancel = false;
  bool opposite_trade = true;
  double away_bps = -1;  // < 0: at or one cent behind the touch
};

// A small order at the touch on one side, orders on the other side sized
// against the displayed depth, the small order filled, the others cancelled.
void Spoof(ScenarioBuilder& b, Scenario& s, std::string_view who, Side spoof_side,
           const SpoofShape& shape) {
  double t0 = b.Real(34'500, 35'600);
  MarketSnapshot m = SnapshotBefore(NewYork(t0));
  bool buy = spoof_side == kBuy;
  Price touch = buy ? m.bid : m.ask;
  Price other_touch = buy ? m.ask : m.bid;
  int64_t depth = std::max<int64_t>(1, (buy ? m.bid_depth : m.ask_depth).raw() / kFixedPointScale);
  int64_t total = static_cast<int64_t>(std::ceil(shape.size_to_depth * static_cast<double>(depth)));
  uint64_t small = b.NewOrderId();
  Quantity small_qty = Shares(b.Int(10, 200));
  if (shape.opposite_trade) {
    b.Row(t0, LobsterEventType::kSubmit, small, small_qty, other_touch, Other(spoof_side), who);
  }
  int64_t offset = shape.away_bps >= 0 ? BpsInCents(touch, shape.away_bps) : b.Int(0, 1);
  std::vector<uint64_t> ids;
  std::vector<Price> prices;
  std::vector<Quantity> sizes;
  for (int j = 0; j < shape.layers; ++j) {
    int64_t cents = CentsOf(touch) + (buy ? -1 : 1) * (offset + j);
    int64_t size = j + 1 < shape.layers ? total / shape.layers
                                        : total - (total / shape.layers) * (shape.layers - 1);
    ids.push_back(b.NewOrderId());
    prices.push_back(Cents(cents));
    sizes.push_back(Shares(std::max<int64_t>(size, 1)));
    b.Row(t0 + 0.02 + 0.005 * j, LobsterEventType::kSubmit, ids.back(), sizes.back(), prices.back(),
          spoof_side, who);
  }
  double fill_t = t0 + b.Real(0.3, 4.0);
  double cancel_t =
      shape.cancel_after_s >= 0 ? t0 + shape.cancel_after_s : fill_t + b.Real(0.01, 0.3);
  if (shape.fill_after_cancel) {
    cancel_t = fill_t;
    fill_t = cancel_t + b.Real(0.1, 1.5);
  }
  if (shape.opposite_trade) {
    b.Row(fill_t, LobsterEventType::kExecuteVisible, small, small_qty, other_touch,
          Other(spoof_side), who);
  }
  for (int j = 0; j < shape.layers; ++j) {
    b.Row(cancel_t + 0.002 * j, LobsterEventType::kDelete, ids[j], sizes[j], prices[j], spoof_side,
          who);
  }
  s.start_s = kOpenS;
  s.stop_s = std::max(fill_t, cancel_t) + 30;
}

// A market maker quoting both sides at the touch with small sizes,
// re-quoting every fraction of a second, filled now and then.
void MarketMaker(ScenarioBuilder& b, Scenario& s, std::string_view who) {
  double t = b.Real(34'500, 35'500);
  uint64_t bid = 0;
  uint64_t ask = 0;
  Price bid_price, ask_price;
  Quantity bid_qty, ask_qty;
  for (int cycle = 0; cycle < 40; ++cycle) {
    MarketSnapshot m = SnapshotBefore(NewYork(t));
    if (cycle > 0 && cycle % 7 == 0) {
      bool hit_bid = cycle % 14 == 0;
      b.Row(t, LobsterEventType::kExecuteVisible, hit_bid ? bid : ask, hit_bid ? bid_qty : ask_qty,
            hit_bid ? bid_price : ask_price, hit_bid ? kBuy : kSell, who);
      (hit_bid ? bid : ask) = 0;
    }
    if (bid != 0) b.Row(t, LobsterEventType::kDelete, bid, bid_qty, bid_price, kBuy, who);
    if (ask != 0) b.Row(t, LobsterEventType::kDelete, ask, ask_qty, ask_price, kSell, who);
    auto size = [&](Quantity depth) {
      double shares = static_cast<double>(depth.raw() / kFixedPointScale) * b.Real(0.05, 0.2);
      return Shares(std::max<int64_t>(1, std::llround(shares)));
    };
    bid = b.NewOrderId();
    ask = b.NewOrderId();
    bid_price = m.bid;
    ask_price = m.ask;
    bid_qty = size(m.bid_depth);
    ask_qty = size(m.ask_depth);
    b.Row(t, LobsterEventType::kSubmit, bid, bid_qty, bid_price, kBuy, who);
    b.Row(t, LobsterEventType::kSubmit, ask, ask_qty, ask_price, kSell, who);
    t += b.Real(0.3, 1.0);
  }
  s.stop_s = t + 30;
}

// ---------------------------------------------------------------- stuffing

// `messages` submits and cancels of tiny orders behind the touch at
// `rate` messages a second; `fill_every` > 0 fills every n-th order instead
// of cancelling it; `grouped` sends all submits before the cancels.
double Stuff(ScenarioBuilder& b, std::string_view who, double t0, int messages, double rate,
             int fill_every, bool grouped) {
  MarketSnapshot m = SnapshotBefore(NewYork(t0));
  Side side = b.Int(0, 1) == 0 ? kBuy : kSell;
  int orders = messages / 2;
  double dt = 1.0 / rate;
  std::vector<uint64_t> ids(orders);
  std::vector<Price> prices(orders);
  std::vector<Quantity> sizes(orders);
  for (int k = 0; k < orders; ++k) {
    ids[k] = b.NewOrderId();
    int64_t behind = b.Int(1, 15);
    prices[k] = Cents(side == kBuy ? CentsOf(m.bid) - behind : CentsOf(m.ask) + behind);
    sizes[k] = Shares(b.Int(1, 5));
  }
  double t = t0;
  auto finish = [&](int k) {
    bool fill = fill_every > 0 && k % fill_every == fill_every / 2;
    b.Row(t, fill ? LobsterEventType::kExecuteVisible : LobsterEventType::kDelete, ids[k], sizes[k],
          prices[k], side, who);
    t += dt;
  };
  for (int k = 0; k < orders; ++k) {
    b.Row(t, LobsterEventType::kSubmit, ids[k], sizes[k], prices[k], side, who);
    t += dt;
    if (!grouped) finish(k);
  }
  if (grouped) {
    for (int k = 0; k < orders; ++k) finish(k);
  }
  return t;
}

// ---------------------------------------------------------------- wash

// One trade between `seller` and `buyer`: the passive leg rested first, the
// other took it. With `report_counterparty` each fill names the other side.
void WashPair(ScenarioBuilder& b, double t, std::string_view seller, std::string_view buyer,
              Price price, Quantity sell_qty, Quantity buy_qty, bool seller_passive,
              bool report_counterparty, double gap_s = 0) {
  uint64_t sell_order = b.NewOrderId();
  uint64_t buy_order = b.NewOrderId();
  uint64_t sell_fill = b.NewFillId();
  uint64_t buy_fill = b.NewFillId();
  double passive_t = t - b.Real(0.05, 2.0);
  Aggression seller_aggression = seller_passive ? Aggression::kPassive : Aggression::kAggressive;
  Aggression buyer_aggression = seller_passive ? Aggression::kAggressive : Aggression::kPassive;
  double sell_t = seller_passive ? t : t + gap_s;
  double buy_t = seller_passive ? t + gap_s : t;
  b.Add(OrderSubmitted(NewYork(seller_passive ? passive_t : sell_t), 0, kUnknownParticipant,
                       sell_order, kSell, price, sell_qty, seller_aggression),
        seller);
  b.Add(OrderSubmitted(NewYork(seller_passive ? buy_t : passive_t), 0, kUnknownParticipant,
                       buy_order, kBuy, price, buy_qty, buyer_aggression),
        buyer);
  b.Add(OrderExecuted(NewYork(sell_t), 0, kUnknownParticipant, sell_order, sell_fill, kSell, price,
                      sell_qty, seller_aggression),
        seller, report_counterparty ? buyer : "");
  b.Add(OrderExecuted(NewYork(buy_t), 0, kUnknownParticipant, buy_order, buy_fill, kBuy, price,
                      buy_qty, buyer_aggression),
        buyer, report_counterparty ? seller : "");
  b.Add(PublicTrade(NewYork(std::max(sell_t, buy_t)), 0, buy_fill, seller_passive ? kBuy : kSell,
                    price, std::min(sell_qty, buy_qty)),
        "");
}

}  // namespace

std::vector<Scenario> SpoofingScenarios(SeededRandom& random) {
  std::vector<Scenario> out;
  const int kLayers[] = {1, 1, 1, 1, 2, 2, 3, 3, 4, 5, 1, 3, 2, 4, 1, 5};
  const double kSizes[] = {0.7, 1.0, 1.5, 2.5, 4.0};
  for (int i = 0; i < 16; ++i) {
    Scenario s;
    ScenarioBuilder b(&s, &random);
    Side side = i % 2 == 0 ? kBuy : kSell;
    SpoofShape shape;
    shape.layers = kLayers[i];
    shape.size_to_depth = kSizes[i % 5];
    shape.fill_after_cancel = i % 4 == 3;
    s.subject = Name(shape.layers == 1 ? "SPF" : "LAY", i);
    char size[16];
    std::snprintf(size, sizeof(size), "%.1f", shape.size_to_depth);
    s.name = "spoofing/" + std::to_string(shape.layers) + "-level/" +
             (side == kBuy ? "buy/" : "sell/") + size + "x depth" +
             (shape.fill_after_cancel ? "/fill after cancel" : "");
    s.family = s.expected = v1::ALERT_TYPE_SPOOFING_LAYERING;
    Spoof(b, s, s.subject, side, shape);
    out.push_back(std::move(s));
  }
  for (int i = 0; i < 9; ++i) {
    Scenario s;
    ScenarioBuilder b(&s, &random);
    s.family = v1::ALERT_TYPE_SPOOFING_LAYERING;
    Side side = i % 2 == 0 ? kBuy : kSell;
    SpoofShape shape;
    shape.size_to_depth = 2;
    shape.layers = 1 + i % 3;
    std::string who;
    if (i < 3) {  // large, but resting 20 s to 2 min before the cancel
      who = Name("LONG", i);
      shape.cancel_after_s = b.Real(20, 120);
      s.name = "spoofing near miss/large order cancelled after a long time";
    } else if (i < 5) {
      who = Name("MM", i);
      s.name = "spoofing near miss/market maker quoting both sides";
      s.subject.clear();
      MarketMaker(b, s, who);
      out.push_back(std::move(s));
      continue;
    } else if (i < 7) {
      who = Name("NOTRD", i);
      shape.opposite_trade = false;
      s.name = "spoofing near miss/large and quick, no trade on the other side";
    } else {
      who = Name("FAR", i);
      shape.away_bps = b.Real(80, 150);
      s.name = "spoofing near miss/large and quick, far from the touch";
    }
    Spoof(b, s, who, side, shape);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Scenario> QuoteStuffingScenarios(SeededRandom& random) {
  std::vector<Scenario> out;
  const int kMessages[] = {120, 160, 240, 400, 800, 1600, 3000};
  for (int i = 0; i < 14; ++i) {
    Scenario s;
    ScenarioBuilder b(&s, &random);
    s.family = s.expected = v1::ALERT_TYPE_QUOTE_STUFFING;
    s.subject = Name("QST", i);
    int messages = kMessages[i % 7];
    double rate = b.Real(150, 3000);
    int style = i % 3;
    s.name = "quote stuffing/" + std::to_string(messages) + " messages at " +
             std::to_string(static_cast<int>(rate)) + "/s" +
             (style == 1   ? "/grouped"
              : style == 2 ? "/one fill"
                           : "");
    double t0 = b.Real(34'500, 35'700);
    double end = Stuff(b, s.subject, t0, messages, rate, style == 2 ? messages / 2 : 0, style == 1);
    s.stop_s = end + 30;
    out.push_back(std::move(s));
  }
  for (int i = 0; i < 6; ++i) {
    Scenario s;
    ScenarioBuilder b(&s, &random);
    s.family = v1::ALERT_TYPE_QUOTE_STUFFING;
    double t0 = b.Real(34'500, 35'600);
    double end = t0;
    if (i < 2) {
      s.name = "quote stuffing near miss/market maker at 60 messages/s, 12% filled";
      end = Stuff(b, Name("QMM", i), t0, 1200, 60, 8, false);
    } else if (i < 4) {
      s.name = "quote stuffing near miss/300 messages/s with 25% filled";
      end = Stuff(b, Name("HFT", i), t0, 600, 300, 4, false);
    } else {
      s.name = "quote stuffing near miss/bursts of 90 messages, 3 s apart";
      for (int k = 0; k < 5; ++k) end = Stuff(b, Name("SLOW", i), t0 + 3 * k, 90, 200, 0, false);
    }
    s.stop_s = end + 30;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Scenario> WashTradeScenarios(SeededRandom& random) {
  std::vector<Scenario> out;
  for (int i = 0; i < 15; ++i) {
    Scenario s;
    ScenarioBuilder b(&s, &random);
    s.family = s.expected = v1::ALERT_TYPE_WASH_TRADE;
    double t0 = b.Real(34'500, 35'800);
    MarketSnapshot m = SnapshotBefore(NewYork(t0));
    Price price = Cents(MidCents(m));
    Quantity qty = Shares(b.Int(1, 500));
    std::string a = Name("WA", i);
    std::string c = Name("WB", i);
    std::string firm = Name("WF", i);
    bool seller_passive = b.Int(0, 1) == 0;
    switch (i % 5) {
      case 0:
        s.name = "wash/self-trade reported by the venue";
        s.subject = Name("WSH", i);
        WashPair(b, t0, s.subject, s.subject, price, qty, qty, seller_passive, true);
        break;
      case 1:
        s.name = "wash/two accounts of one owner, counterparty reported";
        s.subject = firm;
        s.owners = {{a, firm}, {c, firm}};
        WashPair(b, t0, a, c, price, qty, qty, seller_passive, true);
        break;
      case 2:
        s.name = "wash/two accounts of one owner, inferred (same price and size)";
        s.subject = firm;
        s.owners = {{a, firm}, {c, firm}};
        WashPair(b, t0, a, c, price, qty, qty, seller_passive, false, b.Real(0, 0.003));
        break;
      case 3: {
        s.name = "wash/two strategies of one owner, inferred (near price and size)";
        s.subject = firm;
        s.owners = {{a, firm}, {c, firm}};
        int64_t q = b.Int(100, 500);
        Quantity other = Shares(q - b.Int(0, q * 4 / 100));
        WashPair(b, t0, a, c, price, Shares(q), other, seller_passive, false, b.Real(0.01, 0.5));
        break;
      }
      default:
        s.name = "wash/painting the tape: five round trips in a minute";
        s.subject = firm;
        s.owners = {{a, firm}, {c, firm}};
        for (int k = 0; k < 5; ++k) {
          bool a_sells = k % 2 == 0;
          Quantity q = Shares(b.Int(1, 300));
          WashPair(b, t0 + 12 * k, a_sells ? a : c, a_sells ? c : a, price, q, q, seller_passive,
                   false, 0.001);
        }
        break;
    }
    s.start_s = t0 - 30;
    s.stop_s = t0 + 120;
    out.push_back(std::move(s));
  }
  for (int i = 0; i < 7; ++i) {
    Scenario s;
    ScenarioBuilder b(&s, &random);
    s.family = v1::ALERT_TYPE_WASH_TRADE;
    double t0 = b.Real(34'500, 35'800);
    MarketSnapshot m = SnapshotBefore(NewYork(t0));
    Price mid = Cents(MidCents(m));
    Quantity qty = Shares(b.Int(50, 300));
    std::string a = Name("NA", i);
    std::string c = Name("NB", i);
    std::string firm = Name("NF", i);
    s.owners = {{a, firm}, {c, firm}};
    if (i < 2) {
      s.name = "wash near miss/market maker filled on both sides, both passive";
      for (int k = 0; k < 5; ++k) {
        double t = t0 + 5 * k;
        b.PassiveTrade(t, a, kBuy, m.bid, qty);
        b.PassiveTrade(t + b.Real(0.001, 0.9), a, kSell, m.ask, qty);
      }
    } else if (i == 2) {
      s.name = "wash near miss/two owners trading with each other";
      s.owners.clear();
      WashPair(b, t0, a, c, mid, qty, qty, true, true);
    } else if (i == 3) {
      s.name = "wash near miss/one owner, opposite fills 5 s apart";
      WashPair(b, t0, a, c, mid, qty, qty, true, false, 5.0);
    } else if (i == 4) {
      s.name = "wash near miss/one owner, prices 30 bps apart";
      b.PassiveTrade(t0, a, kSell, mid, qty);
      b.AggressiveTrade(t0 + 0.001, c, kBuy, Cents(CentsOf(mid) + BpsInCents(mid, 30)), qty);
    } else if (i == 5) {
      s.name = "wash near miss/one owner, sizes 50% apart";
      b.PassiveTrade(t0, a, kSell, mid, qty);
      b.AggressiveTrade(t0 + 0.001, c, kBuy, mid, Shares(qty.raw() / kFixedPointScale * 2));
    } else {
      s.name = "wash near miss/a scalper re-offering what it took 300 ms earlier";
      b.AggressiveTrade(t0, a, kBuy, m.ask, qty);
      b.PassiveTrade(t0 + 0.3, a, kSell, m.ask, qty, 0.2);
    }
    s.start_s = t0 - 30;
    s.stop_s = t0 + 60;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Scenario> MomentumIgnitionScenarios(SeededRandom& random) {
  std::vector<Scenario> out;
  const double kMoves[] = {15, 25, 40, 60, 100};
  const double kReversal[] = {0.6, 0.8, 1.0};
  // kind: 0 ignition, 1 no reversal, 2 late reversal, 3 no move, 4 partial reversal
  for (int i = 0; i < 20; ++i) {
    int kind = i < 14 ? 0 : i < 16 ? 1 : i < 17 ? 2 : i < 19 ? 3 : 4;
    Scenario s;
    ScenarioBuilder b(&s, &random);
    s.family = v1::ALERT_TYPE_MOMENTUM_IGNITION;
    std::string who = Name(kind == 0 ? "MOM" : "TREND", i);
    Side side = i % 2 == 0 ? kBuy : kSell;
    double move = kind == 3 ? 0 : kMoves[i % 5];
    double t0 = b.Real(34'500, 35'600);
    MarketSnapshot m = SnapshotBefore(NewYork(t0));
    int64_t start = CentsOf(side == kBuy ? m.ask : m.bid);
    int64_t mid = MidCents(m);
    int64_t target = mid + (side == kBuy ? 1 : -1) * BpsInCents(Cents(mid), move);
    if (kind == 3) target = start;
    int trades = static_cast<int>(b.Int(4, 8));
    double span = b.Real(0.5, 4.0);
    int64_t burst_qty = 0;
    double t = t0;
    for (int k = 0; k < trades; ++k) {
      int64_t cents = start + (target - start) * k / (trades - 1);
      int64_t q = b.Int(50, 300);
      burst_qty += q;
      b.AggressiveTrade(t, who, side, Cents(cents), Shares(q));
      t += span / (trades - 1);
    }
    double ratio = kind == 4 ? 0.2 : kReversal[i % 3];
    double back_t = t + (kind == 2 ? b.Real(90, 150) : b.Real(2, 20));
    if (kind != 1) {
      int fills = static_cast<int>(b.Int(1, 4));
      int64_t left = std::max<int64_t>(1, std::llround(ratio * static_cast<double>(burst_qty)));
      for (int k = 0; k < fills && left > 0; ++k) {
        int64_t q = k + 1 == fills ? left : std::max<int64_t>(1, left / (fills - k));
        left -= q;
        // Beyond the pre-burst midpoint: part of the move is kept.
        int64_t cents =
            kind == 3 ? CentsOf(side == kBuy ? m.bid : m.ask)
                      : mid + std::llround(static_cast<double>(target - mid) * b.Real(0.4, 0.9));
        if (k % 2 == 0) {
          b.PassiveTrade(back_t, who, Other(side), Cents(cents), Shares(q), 0.2);
        } else {
          b.AggressiveTrade(back_t, who, Other(side), Cents(cents), Shares(q));
        }
        back_t += b.Real(0.2, 2.0);
      }
    }
    if (kind == 0) {
      s.expected = v1::ALERT_TYPE_MOMENTUM_IGNITION;
      s.subject = who;
      s.name = "momentum ignition/" + std::string(side == kBuy ? "buy" : "sell") + " burst of " +
               std::to_string(trades) + " moving " + std::to_string(static_cast<int>(move)) +
               " bps, " + std::to_string(static_cast<int>(ratio * 100)) + "% reversed";
    } else {
      const char* kNames[] = {"", "a trend-following burst, kept", "reversed after 90 s or more",
                              "a burst at the touch that moves nothing, then reversed",
                              "a burst reversed by 20% only"};
      s.name = std::string("momentum ignition near miss/") + kNames[kind];
    }
    s.start_s = t0 - 30;
    s.stop_s = back_t + 30;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Scenario> MarkingCloseScenarios(SeededRandom& random) {
  std::vector<Scenario> out;
  const double kWindowStart = kCloseS - 300;
  MarketSnapshot before_window = SnapshotBefore(NewYork(kWindowStart));
  MarketSnapshot at_close = SnapshotBefore(NewYork(kCloseS));
  double last_real_s =
      kCloseS - static_cast<double>((NewYork(kCloseS) - at_close.last_trade_time).count()) / 1e9;
  double volume = static_cast<double>(PublicVolume(NewYork(kWindowStart), NewYork(kCloseS)).raw() /
                                      kFixedPointScale);
  const double kShares[] = {0.4, 0.6, 1.0, 1.5, 2.5};
  const double kMoves[] = {15, 25, 40, 80};
  const double kSpans[] = {60, 120, 240};
  // kind: 0 marking, 1 steady all session, 2 passive, 3 small, 4 against the move
  for (int i = 0; i < 17; ++i) {
    int kind = i < 12 ? 0 : i < 14 ? 1 : i - 12;
    Scenario s;
    ScenarioBuilder b(&s, &random);
    s.family = v1::ALERT_TYPE_MARKING_THE_CLOSE;
    std::string who = Name(kind == 0 ? "MTC" : "CLS", i);
    Side side = i % 2 == 0 ? kBuy : kSell;
    int sign = side == kBuy ? 1 : -1;
    double f = kind == 3 ? 0.05 : kShares[i % 5];
    double move = kind == 3 ? 0 : kMoves[i % 4];
    double span = kind == 1 ? 1000 : kSpans[i % 3];
    int64_t total = std::max<int64_t>(10, std::llround(f * volume));
    int trades = kind == 1 ? 40 : static_cast<int>(b.Int(5, 15));
    int64_t ref = CentsOf(before_window.last_trade);
    int64_t first = CentsOf(side == kBuy ? before_window.ask : before_window.bid);
    int64_t target = ref + sign * BpsInCents(Cents(ref), move);
    if (kind == 4) target = ref - sign * BpsInCents(Cents(ref), 20);
    if (kind == 3) target = first;
    double last_t = std::max(last_real_s + 0.5 * (kCloseS - last_real_s), kCloseS - 0.2);
    if (last_real_s >= kCloseS - 0.2) last_t = (last_real_s + kCloseS) / 2;
    if (kind == 0 && i % 3 == 0) {  // some earlier, smaller trading in the session
      for (int k = 0; k < 3; ++k) {
        b.AggressiveTrade(b.Real(35'000, 35'600) + k, who, side,
                          side == kBuy ? before_window.ask : before_window.bid,
                          Shares(std::max<int64_t>(1, total / 15)));
      }
    }
    for (int k = 0; k < trades; ++k) {
      double t = last_t - span + span * (k + 1) / trades;
      if (k + 1 == trades) t = last_t;
      int64_t cents = first + (target - first) * k / std::max(1, trades - 1);
      Quantity q = Shares(std::max<int64_t>(1, total / trades));
      if (kind == 2) {
        b.PassiveTrade(t, who, side, Cents(cents), q, 0.3);
      } else {
        b.AggressiveTrade(t, who, side, Cents(cents), q);
      }
    }
    if (kind == 0) {
      s.expected = v1::ALERT_TYPE_MARKING_THE_CLOSE;
      s.subject = who;
      s.name = "marking the close/" + std::string(side == kBuy ? "buy" : "sell") + " ramp of " +
               std::to_string(trades) + " over " + std::to_string(static_cast<int>(span)) + " s, " +
               std::to_string(static_cast<int>(move)) + " bps, " +
               std::to_string(static_cast<int>(100 * f / (1 + f))) + "% of volume";
    } else {
      const char* kNames[] = {"", "steady aggressive trading all session",
                              "a market maker filled passively into the close",
                              "a small aggressive trader at the touch",
                              "aggressive trading against the closing move"};
      s.name = std::string("marking the close near miss/") + kNames[kind];
    }
    s.start_s = 35'000;
    s.stop_s = kCloseS;
    s.finish = NewYork(kCloseS);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Scenario> CleanStretches(SeededRandom& random) {
  std::vector<Scenario> out;
  for (int i = 0; i < 6; ++i) {
    Scenario s;
    ScenarioBuilder b(&s, &random);
    s.start_s = b.Real(kOpenS, kCloseS - 180);
    s.stop_s = s.start_s + 180;
    s.name = "clean stretch " + std::to_string(i);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace tradeplane::surveillance::testing
