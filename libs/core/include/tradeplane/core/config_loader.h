// YAML config files mapped onto protobuf messages.
//
// Keys are the messages' snake_case field names. Everything a person can get
// wrong is refused with the key's path and the line in the file:
//   risk.yaml:12:5: limits.instruments[0].collar_bps: 20000 is out of range [1, 10000]
// Rules: unknown and duplicate keys are errors; integers must be integers;
// fields marked `fixed_point` take exact decimal strings ("0.00001"); enums
// take their full or short name (ACTIVE or TRADING_MODE_ACTIVE), never
// UNSPECIFIED; `*_ns` timestamp fields take RFC 3339 text or nanoseconds;
// `path` fields are resolved against the config file's directory; `range`
// and `required` options are enforced; two members of one oneof are an error.
#ifndef TRADEPLANE_CORE_CONFIG_LOADER_H_
#define TRADEPLANE_CORE_CONFIG_LOADER_H_

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "absl/status/status.h"

namespace tradeplane {

// Parses `yaml` into `message` (merged onto what it holds, so callers can set
// defaults first). `source` names the input in errors; relative `path` fields
// resolve against `base_dir` (unchanged when empty). All errors are reported
// at once, one per line.
absl::Status ParseYamlConfig(std::string_view yaml, std::string_view source,
                             std::string_view base_dir, google::protobuf::Message* message);

// Reads and parses a file.
absl::Status LoadYamlConfigFile(const std::string& path, google::protobuf::Message* message);

// Checks `range` and `required` on a message built in code (e.g. defaults
// merged with a file), reporting paths as the loader does.
absl::Status ValidateConfig(const google::protobuf::Message& message);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_CONFIG_LOADER_H_
