// Fuzzes what every receiver does with a frame off the bus: DecodeEnvelope,
// then the payload decoded as the message type the header names (the
// recorder's and tradectl's generic path), and the suite's JSON form of it.
//
// Properties checked beyond "no crash, no sanitizer report":
//   - a decoded payload is a view inside the input;
//   - re-encoding the decoded header and payload and decoding that again
//     gives back the same header and the same payload bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>

#include "tradeplane/bus/envelope.h"
#include "tradeplane/core/json_format.h"
#include "tradeplane/core/message_registry.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  __builtin_printf("envelope_fuzzer: property violated: %s\n", what);
  std::abort();
}

}  // namespace

// libprotobuf logs every string field with invalid UTF-8 it refuses; the
// refusal is what is under test, the log line is noise.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using tradeplane::bus::DecodeEnvelope;
  using tradeplane::bus::EncodeEnvelopeBytes;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  tradeplane::bus::v1::Header header;
  std::string_view payload;
  if (!DecodeEnvelope(input, &header, &payload).ok()) return 0;
  if (!payload.empty() &&
      (payload.data() < input.data() || payload.data() + payload.size() > input.data() + size)) {
    Fail("payload is not a view into the input");
  }

  std::string reencoded;
  EncodeEnvelopeBytes(header, payload, &reencoded);
  tradeplane::bus::v1::Header header2;
  std::string_view payload2;
  if (!DecodeEnvelope(reencoded, &header2, &payload2).ok()) Fail("re-encoded envelope refused");
  if (header2.SerializeAsString() != header.SerializeAsString()) Fail("header changed");
  if (payload2 != payload) Fail("payload changed");

  std::unique_ptr<google::protobuf::Message> message =
      tradeplane::NewMessageByName(header.message_type());
  if (message == nullptr) return 0;  // unknown type: receivers refuse it
  if (!message->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return 0;
  std::string json = tradeplane::ToJson(*message);
  if (json.empty()) Fail("empty JSON for a parsed message");
  return 0;
}
