#include "tradeplane/execution/order_state_doc.h"

#include <vector>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/execution/order_state_machine.h"

namespace tradeplane::execution {
namespace {

TableState StateAt(size_t i) { return static_cast<TableState>(i); }
TableEvent EventAt(size_t i) { return static_cast<TableEvent>(i); }

bool IsTerminal(TableState state) {
  return state == TableState::kFilled || state == TableState::kCanceled ||
         state == TableState::kRejected || state == TableState::kExpired;
}

}  // namespace

std::string OrderStateMermaid() {
  std::string out = "stateDiagram-v2\n";
  for (size_t s = 0; s < kTableStates; ++s) {
    if (TableStateName(StateAt(s)) != TableStateId(StateAt(s))) {
      StrAppend(&out, "    state \"", TableStateName(StateAt(s)), "\" as ",
                TableStateId(StateAt(s)), "\n");
    }
  }
  StrAppend(&out, "    [*] --> ", TableStateId(TableState::kPendingNew), "\n");
  for (size_t s = 0; s < kTableStates; ++s) {
    // One edge per next state, labelled with every event that leads there.
    std::vector<std::pair<TableState, std::string>> edges;
    for (size_t e = 0; e < kTableEvents; ++e) {
      const TransitionCell& cell = LookupTransition(StateAt(s), EventAt(e));
      if (cell.action != CellAction::kApply) continue;
      bool merged = false;
      for (auto& [next, label] : edges) {
        if (next == cell.next) {
          StrAppend(&label, ", ", TableEventName(EventAt(e)));
          merged = true;
        }
      }
      if (!merged) edges.emplace_back(cell.next, std::string(TableEventName(EventAt(e))));
    }
    for (const auto& [next, label] : edges) {
      StrAppend(&out, "    ", TableStateId(StateAt(s)), " --> ", TableStateId(next), ": ", label,
                "\n");
    }
  }
  for (size_t s = 0; s < kTableStates; ++s) {
    if (IsTerminal(StateAt(s))) StrAppend(&out, "    ", TableStateId(StateAt(s)), " --> [*]\n");
  }
  return out;
}

std::string OrderStateMarkdownTable() {
  std::string out = "| state \\ event |";
  for (size_t e = 0; e < kTableEvents; ++e) StrAppend(&out, " ", TableEventName(EventAt(e)), " |");
  out += "\n| --- |";
  for (size_t e = 0; e < kTableEvents; ++e) out += " --- |";
  out += "\n";
  for (size_t s = 0; s < kTableStates; ++s) {
    StrAppend(&out, "| ", TableStateName(StateAt(s)), " |");
    for (size_t e = 0; e < kTableEvents; ++e) {
      const TransitionCell& cell = LookupTransition(StateAt(s), EventAt(e));
      switch (cell.action) {
        case CellAction::kApply:
          StrAppend(&out, " → ", TableStateName(cell.next), " |");
          break;
        case CellAction::kIgnore:
          out += " ignored |";
          break;
        case CellAction::kRefuse:
          out += " refused |";
          break;
        case CellAction::kToReported:
          out += " → reported status |";
          break;
      }
    }
    out += "\n";
  }
  return out;
}

std::string OrderStateDocBlock() {
  return StrCat("```mermaid\n", OrderStateMermaid(), "```\n\n", OrderStateMarkdownTable());
}

}  // namespace tradeplane::execution
