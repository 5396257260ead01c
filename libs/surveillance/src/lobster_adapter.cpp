#include "tradeplane/surveillance/lobster_adapter.h"

#include <cstring>

#include "tradeplane/core/str_cat.h"

#include "displayed_book.h"

namespace tradeplane::surveillance {
namespace {

using marketdata::LobsterEventType;

bool SameTop(const BookTop& a, const BookTop& b) {
  return a.bid_price == b.bid_price && a.bid_qty == b.bid_qty && a.ask_price == b.ask_price &&
         a.ask_qty == b.ask_qty && a.bid_depth_qty == b.bid_depth_qty &&
         a.ask_depth_qty == b.ask_depth_qty;
}

Side Opposite(Side side) {
  if (side == common::v1::SIDE_BUY) return common::v1::SIDE_SELL;
  if (side == common::v1::SIDE_SELL) return common::v1::SIDE_BUY;
  return common::v1::SIDE_UNSPECIFIED;
}

}  // namespace

LobsterEventAdapter::LobsterEventAdapter(const LobsterAdapterOptions& options,
                                         ParticipantTable* participants)
    : options_(options), participants_(participants), book_(std::make_unique<DisplayedBook>()) {}

LobsterEventAdapter::~LobsterEventAdapter() = default;
LobsterEventAdapter::LobsterEventAdapter(LobsterEventAdapter&&) noexcept = default;
LobsterEventAdapter& LobsterEventAdapter::operator=(LobsterEventAdapter&&) noexcept = default;

absl::Status LobsterEventAdapter::Append(const marketdata::LobsterMessage& message,
                                         std::vector<Event>* out) {
  if (message.time_after_midnight < last_time_) {
    return absl::InvalidArgumentError(StrCat("message at ", message.time_after_midnight.count(),
                                             " ns after midnight comes before the previous one at ",
                                             last_time_.count(), " ns"));
  }
  absl::StatusOr<Timestamp> time =
      marketdata::LobsterTimeToUtc(options_.date, message.time_after_midnight);
  if (!time.ok()) return time.status();
  last_time_ = message.time_after_midnight;
  ++counters_.messages;
  size_t before = out->size();

  ParticipantId participant = participants_->Intern(
      std::string_view(message.mpid, strnlen(message.mpid, sizeof(message.mpid))));
  InstrumentIndex instrument = options_.instrument;
  uint64_t order_id = static_cast<uint64_t>(message.order_id);
  Side side = message.direction;

  switch (message.type) {
    case LobsterEventType::kSubmit:
      out->push_back(OrderSubmitted(*time, instrument, participant, order_id, side, message.price,
                                    message.size, Aggression::kPassive));
      if (!book_->Add(message.order_id, side, message.price, message.size)) {
        ++counters_.duplicate_submits;
      }
      break;
    case LobsterEventType::kPartialCancel:
    case LobsterEventType::kDelete: {
      std::optional<DisplayedBook::Order> order =
          book_->Reduce(message.order_id, message.size, /*executed=*/false);
      if (!order) ++counters_.unknown_order_events;
      Quantity remaining;
      if (order && message.type == LobsterEventType::kPartialCancel &&
          order->remaining > message.size) {
        remaining = Quantity::FromRaw(order->remaining.raw() - message.size.raw());
      }
      out->push_back(OrderCancelled(*time, instrument, participant, order_id, side, message.price,
                                    message.size, remaining));
      break;
    }
    case LobsterEventType::kExecuteVisible: {
      std::optional<DisplayedBook::Order> order =
          book_->Reduce(message.order_id, message.size, /*executed=*/true);
      if (!order) ++counters_.unknown_order_events;
      uint64_t fill_id = ++executions_;
      Event fill = OrderExecuted(*time, instrument, participant, order_id, fill_id, side,
                                 message.price, message.size, Aggression::kPassive);
      if (order && order->remaining > message.size) {
        fill.remaining_qty = Quantity::FromRaw(order->remaining.raw() - message.size.raw());
      }
      out->push_back(fill);
      out->push_back(
          PublicTrade(*time, instrument, fill_id, Opposite(side), message.price, message.size));
      break;
    }
    case LobsterEventType::kExecuteHidden: {
      uint64_t fill_id = ++executions_;
      if (participant != kUnknownParticipant) {
        out->push_back(OrderExecuted(*time, instrument, participant, order_id, fill_id, side,
                                     message.price, message.size, Aggression::kPassive));
      }
      out->push_back(
          PublicTrade(*time, instrument, fill_id, Opposite(side), message.price, message.size));
      break;
    }
    case LobsterEventType::kCrossTrade: {
      uint64_t fill_id = ++executions_;
      out->push_back(PublicTrade(*time, instrument, fill_id, common::v1::SIDE_UNSPECIFIED,
                                 message.price, message.size));
      break;
    }
    case LobsterEventType::kHalt:
      ++counters_.halts;
      break;
  }

  BookTop top = book_->Top(options_.depth_levels);
  if (!SameTop(top, last_top_)) {
    last_top_ = top;
    out->push_back(BookUpdate(*time, instrument, top));
  }
  counters_.events += out->size() - before;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Event>> EventsFromLobsterText(std::string_view text,
                                                         const LobsterAdapterOptions& options,
                                                         ParticipantTable* participants) {
  LobsterEventAdapter adapter(options, participants);
  std::vector<Event> events;
  events.reserve(text.size() / 25);  // ~45 bytes a line, ~1.8 events a line
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    absl::StatusOr<marketdata::LobsterMessage> message = marketdata::ParseLobsterMessage(line);
    if (!message.ok()) {
      return absl::InvalidArgumentError(StrCat("line ", line_no, ": ", message.status().message()));
    }
    absl::Status status = adapter.Append(*message, &events);
    if (!status.ok()) {
      return absl::InvalidArgumentError(StrCat("line ", line_no, ": ", status.message()));
    }
  }
  return events;
}

}  // namespace tradeplane::surveillance
