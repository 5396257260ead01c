#include "tradeplane/bus/envelope.h"

#include <cstring>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::bus {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;

constexpr uint32_t kHeaderTag = (1 << 3) | WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
constexpr uint32_t kPayloadTag = (2 << 3) | WireFormatLite::WIRETYPE_LENGTH_DELIMITED;

// Writes the header field and the payload field's tag and length; returns
// where the payload bytes go.
uint8_t* WritePrefix(const v1::Header& header, size_t payload_size, std::string* out) {
  size_t header_size = header.ByteSizeLong();
  size_t total =
      1 + CodedOutputStream::VarintSize32(static_cast<uint32_t>(header_size)) + header_size + 1 +
      CodedOutputStream::VarintSize32(static_cast<uint32_t>(payload_size)) + payload_size;
  out->resize(total);
  auto* p = reinterpret_cast<uint8_t*>(out->data());
  p = CodedOutputStream::WriteTagToArray(kHeaderTag, p);
  p = CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(header_size), p);
  p = header.SerializeWithCachedSizesToArray(p);
  p = CodedOutputStream::WriteTagToArray(kPayloadTag, p);
  p = CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(payload_size), p);
  return p;
}

}  // namespace

void EncodeEnvelope(const v1::Header& header, const google::protobuf::Message& payload,
                    std::string* out) {
  size_t payload_size = payload.ByteSizeLong();
  uint8_t* p = WritePrefix(header, payload_size, out);
  payload.SerializeWithCachedSizesToArray(p);
}

void EncodeEnvelopeBytes(const v1::Header& header, std::string_view payload, std::string* out) {
  uint8_t* p = WritePrefix(header, payload.size(), out);
  if (!payload.empty()) std::memcpy(p, payload.data(), payload.size());
}

absl::Status DecodeEnvelope(std::string_view data, v1::Header* header, std::string_view* payload) {
  header->Clear();
  *payload = {};
  bool have_header = false;
  CodedInputStream in(reinterpret_cast<const uint8_t*>(data.data()), static_cast<int>(data.size()));
  while (true) {
    uint32_t tag = in.ReadTag();
    if (tag == 0) {
      if (in.CurrentPosition() != static_cast<int>(data.size())) {
        return absl::DataLossError(StrCat("envelope: bad tag at byte ", in.CurrentPosition()));
      }
      break;
    }
    if (tag == kHeaderTag) {
      uint32_t len;
      if (!in.ReadVarint32(&len) || len > data.size()) {
        return absl::DataLossError("envelope: truncated header");
      }
      CodedInputStream::Limit limit = in.PushLimit(static_cast<int>(len));
      if (!header->MergePartialFromCodedStream(&in) || !in.ConsumedEntireMessage()) {
        return absl::DataLossError("envelope: header does not parse");
      }
      in.PopLimit(limit);
      have_header = true;
    } else if (tag == kPayloadTag) {
      uint32_t len;
      if (!in.ReadVarint32(&len)) return absl::DataLossError("envelope: truncated payload length");
      int pos = in.CurrentPosition();
      if (static_cast<size_t>(pos) + len > data.size()) {
        return absl::DataLossError(StrCat("envelope: payload of ", len, " bytes at byte ", pos,
                                          " runs past the end (", data.size(), " bytes)"));
      }
      *payload = data.substr(static_cast<size_t>(pos), len);
      if (!in.Skip(static_cast<int>(len)))
        return absl::DataLossError("envelope: truncated payload");
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::DataLossError(StrCat("envelope: cannot skip field with tag ", tag));
    }
  }
  if (!have_header) return absl::InvalidArgumentError("envelope: no header");
  if (header->schema_version() != kEnvelopeSchemaVersion) {
    return absl::FailedPreconditionError(StrCat("envelope: schema version ",
                                                header->schema_version(), " (this build reads ",
                                                kEnvelopeSchemaVersion, ")"));
  }
  if (header->message_type().empty()) {
    return absl::InvalidArgumentError("envelope: header has no message type");
  }
  return absl::OkStatus();
}

}  // namespace tradeplane::bus
