// How tradectl prints a reply: -o table (for people), json (for scripts, the
// suite's JSON conventions), or yaml.
#ifndef TRADEPLANE_TOOLS_TRADECTL_OUTPUT_H_
#define TRADEPLANE_TOOLS_TRADECTL_OUTPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"

namespace tradeplane::tradectl {

enum class OutputFormat { kTable, kJson, kYaml };

absl::StatusOr<OutputFormat> ParseOutputFormat(std::string_view name);

// A message as the chosen format. Tables: a message with one repeated
// message field prints one row per element; anything else prints
// "field: value" lines.
std::string Render(const google::protobuf::Message& message, OutputFormat format);

// A plain table with a header row.
std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// JSON text (the suite's conventions) as YAML.
absl::StatusOr<std::string> JsonToYaml(std::string_view json);

}  // namespace tradeplane::tradectl

#endif  // TRADEPLANE_TOOLS_TRADECTL_OUTPUT_H_
