// The order state table as documentation text (a Mermaid stateDiagram-v2 and
// a Markdown table), generated from the code's table so the two cannot drift:
// docs/explanation/order-states.md carries this block between markers and a
// unit test compares them.
#ifndef TRADEPLANE_EXECUTION_ORDER_STATE_DOC_H_
#define TRADEPLANE_EXECUTION_ORDER_STATE_DOC_H_

#include <string>
#include <string_view>

namespace tradeplane::execution {

inline constexpr std::string_view kOrderStateDocBegin =
    "<!-- BEGIN GENERATED order-state-table -->";
inline constexpr std::string_view kOrderStateDocEnd = "<!-- END GENERATED order-state-table -->";

// The Mermaid diagram: one edge per (state, next state) that some event
// applies, labelled with those events. Ignored, refused and reconciled cells
// are in the table only.
std::string OrderStateMermaid();
// The full table, states as rows, events as columns.
std::string OrderStateMarkdownTable();
// What goes between the markers: the fenced diagram, then the table.
std::string OrderStateDocBlock();

}  // namespace tradeplane::execution

#endif  // TRADEPLANE_EXECUTION_ORDER_STATE_DOC_H_
