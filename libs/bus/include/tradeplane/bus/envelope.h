// The bus envelope: how one message is framed on the wire (docs/protocol.md).
//
// Encoding writes the Envelope protobuf by hand, header then payload, with the
// payload serialized straight into the output buffer (no intermediate copy);
// any protobuf library decodes it as an ordinary Envelope. Decoding parses the
// header and returns the payload as a view into the received bytes.
#ifndef TRADEPLANE_BUS_ENVELOPE_H_
#define TRADEPLANE_BUS_ENVELOPE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "tradeplane/bus/v1/envelope.pb.h"

#include "absl/status/status.h"

namespace tradeplane::bus {

// Receivers refuse any other version.
inline constexpr uint32_t kEnvelopeSchemaVersion = 1;

// Serializes header and payload as an Envelope into *out (replacing it;
// capacity is reused).
void EncodeEnvelope(const v1::Header& header, const google::protobuf::Message& payload,
                    std::string* out);
// The same with a payload that is already serialized.
void EncodeEnvelopeBytes(const v1::Header& header, std::string_view payload, std::string* out);

// Parses an Envelope. *payload points into `data`. Fails on truncated or
// malformed bytes, a missing header or message type, or a schema version
// other than kEnvelopeSchemaVersion.
absl::Status DecodeEnvelope(std::string_view data, v1::Header* header, std::string_view* payload);

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_ENVELOPE_H_
