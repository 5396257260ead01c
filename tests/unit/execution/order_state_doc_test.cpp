// docs/explanation/order-states.md shows the order state table; these tests
// keep it equal to the code's table.
#include "tradeplane/execution/order_state_doc.h"

#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include <catch2/catch.hpp>

#include "tradeplane/execution/order_state_machine.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::execution {
namespace {

const char* const kDocPath = TRADEPLANE_SOURCE_DIR "/docs/explanation/order-states.md";

std::string GeneratedBlockOfDoc() {
  const std::string doc = testing::ReadFile(kDocPath);
  REQUIRE_FALSE(doc.empty());
  size_t begin = doc.find(kOrderStateDocBegin);
  size_t end = doc.find(kOrderStateDocEnd);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  begin += kOrderStateDocBegin.size();
  REQUIRE(begin <= end);
  std::string block = doc.substr(begin, end - begin);
  // The markers sit on their own lines.
  while (!block.empty() && block.front() == '\n') block.erase(block.begin());
  while (!block.empty() && block.back() == '\n') block.pop_back();
  return block + "\n";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

TEST_CASE("the state table in the documentation is the one the code generates", "[execution]") {
  const std::string expected = OrderStateDocBlock();
  const std::string actual = GeneratedBlockOfDoc();
  INFO("regenerate the block between the markers of docs/explanation/order-states.md as:\n"
       << expected);
  CHECK(actual == expected);
}

TEST_CASE("every edge of the documented diagram is an applied cell of the table and back",
          "[execution]") {
  // Independent of the generator: parse the Mermaid lines of the document.
  const std::string block = GeneratedBlockOfDoc();
  auto state_of = [](std::string_view id) -> int {
    for (size_t s = 0; s < kTableStates; ++s) {
      if (TableStateId(static_cast<TableState>(s)) == id) return static_cast<int>(s);
    }
    return -1;
  };
  auto event_of = [](std::string_view name) -> int {
    for (size_t e = 0; e < kTableEvents; ++e) {
      if (TableEventName(static_cast<TableEvent>(e)) == name) return static_cast<int>(e);
    }
    return -1;
  };
  std::set<std::tuple<int, int, int>> documented;  // (state, event, next)
  std::string_view rest = block;
  while (!rest.empty()) {
    size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    size_t arrow = line.find(" --> ");
    size_t colon = line.find(": ");
    if (arrow == std::string_view::npos || colon == std::string_view::npos) continue;
    int from = state_of(Trim(line.substr(0, arrow)));
    int to = state_of(Trim(line.substr(arrow + 5, colon - arrow - 5)));
    INFO(std::string(line));
    REQUIRE(from >= 0);
    REQUIRE(to >= 0);
    std::string_view labels = line.substr(colon + 2);
    while (!labels.empty()) {
      size_t comma = labels.find(", ");
      int event = event_of(Trim(labels.substr(0, comma)));
      REQUIRE(event >= 0);
      documented.emplace(from, event, to);
      labels.remove_prefix(comma == std::string_view::npos ? labels.size() : comma + 2);
    }
  }
  std::set<std::tuple<int, int, int>> coded;
  for (size_t s = 0; s < kTableStates; ++s) {
    for (size_t e = 0; e < kTableEvents; ++e) {
      const TransitionCell& cell =
          LookupTransition(static_cast<TableState>(s), static_cast<TableEvent>(e));
      if (cell.action == CellAction::kApply) {
        coded.emplace(static_cast<int>(s), static_cast<int>(e), static_cast<int>(cell.next));
      }
    }
  }
  CHECK(documented.size() > 30);
  CHECK(documented == coded);
}

}  // namespace
}  // namespace tradeplane::execution
