#include "tradeplane/bus/recording.h"

#include <array>
#include <cstring>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::bus {
namespace {

constexpr char kMagic[8] = {'T', 'P', 'B', 'U', 'S', 'R', 'E', 'C'};
// Far above any bus message (bus.max_message_bytes); a larger length is corruption.
constexpr uint32_t kMaxRecordBytes = 1u << 30;

std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0x82f63b78u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutU64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t GetU32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}
uint64_t GetU64(const unsigned char* p) {
  return static_cast<uint64_t>(GetU32(p)) | static_cast<uint64_t>(GetU32(p + 4)) << 32;
}

}  // namespace

uint32_t Crc32c(uint32_t crc, std::string_view data) {
  static const std::array<uint32_t, 256> table = MakeCrcTable();
  crc = ~crc;
  for (unsigned char c : data) crc = table[(crc ^ c) & 0xff] ^ (crc >> 8);
  return ~crc;
}

absl::StatusOr<std::unique_ptr<RecordingWriter>> RecordingWriter::Create(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return absl::PermissionDeniedError(
        StrCat("cannot create recording '", path, "': ", std::strerror(errno)));
  }
  char header[16];
  std::memcpy(header, kMagic, 8);
  PutU32(header + 8, kRecordingVersion);
  PutU32(header + 12, 0);
  if (std::fwrite(header, 1, sizeof(header), f) != sizeof(header)) {
    std::fclose(f);
    return absl::DataLossError(StrCat("cannot write recording '", path, "'"));
  }
  return std::unique_ptr<RecordingWriter>(new RecordingWriter(f, path));
}

RecordingWriter::~RecordingWriter() { (void)Close(); }

absl::Status RecordingWriter::Append(int64_t receive_time_ns, std::string_view topic,
                                     std::string_view envelope) {
  if (file_ == nullptr) return absl::FailedPreconditionError("recording is closed");
  char head[16];
  PutU32(head, static_cast<uint32_t>(topic.size()));
  PutU32(head + 4, static_cast<uint32_t>(envelope.size()));
  PutU64(head + 8, static_cast<uint64_t>(receive_time_ns));
  char tail[4];
  PutU32(tail, Crc32c(Crc32c(0, topic), envelope));
  if (std::fwrite(head, 1, sizeof(head), file_) != sizeof(head) ||
      std::fwrite(topic.data(), 1, topic.size(), file_) != topic.size() ||
      std::fwrite(envelope.data(), 1, envelope.size(), file_) != envelope.size() ||
      std::fwrite(tail, 1, sizeof(tail), file_) != sizeof(tail)) {
    return absl::DataLossError(StrCat("cannot write to recording '", path_, "'"));
  }
  ++records_;
  return absl::OkStatus();
}

absl::Status RecordingWriter::Flush() {
  if (file_ != nullptr && std::fflush(file_) != 0) {
    return absl::DataLossError(StrCat("cannot flush recording '", path_, "'"));
  }
  return absl::OkStatus();
}

absl::Status RecordingWriter::Close() {
  if (file_ == nullptr) return absl::OkStatus();
  int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) return absl::DataLossError(StrCat("cannot close recording '", path_, "'"));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RecordingReader>> RecordingReader::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return absl::NotFoundError(
        StrCat("cannot open recording '", path, "': ", std::strerror(errno)));
  }
  unsigned char header[16];
  if (std::fread(header, 1, sizeof(header), f) != sizeof(header) ||
      std::memcmp(header, kMagic, 8) != 0) {
    std::fclose(f);
    return absl::InvalidArgumentError(
        StrCat("'", path, "' is not a bus recording (no TPBUSREC header)"));
  }
  uint32_t version = GetU32(header + 8);
  if (version != kRecordingVersion) {
    std::fclose(f);
    return absl::FailedPreconditionError(StrCat("'", path, "' is recording format version ",
                                                version, "; this build reads ", kRecordingVersion));
  }
  return std::unique_ptr<RecordingReader>(new RecordingReader(f, path));
}

RecordingReader::~RecordingReader() {
  if (file_ != nullptr) std::fclose(file_);
}

absl::StatusOr<bool> RecordingReader::Next(RecordedMessage* out) {
  unsigned char head[16];
  size_t got = std::fread(head, 1, sizeof(head), file_);
  if (got == 0 && std::feof(file_)) return false;
  auto truncated = [&]() -> absl::StatusOr<bool> {
    if (allow_truncated_tail_) return false;
    return absl::DataLossError(StrCat(path_, ": truncated record at byte offset ", offset_));
  };
  if (got != sizeof(head)) return truncated();
  uint32_t topic_len = GetU32(head), env_len = GetU32(head + 4);
  if (topic_len > 255 || env_len > kMaxRecordBytes) {
    return absl::DataLossError(StrCat(path_, ": implausible record lengths (topic ", topic_len,
                                      ", envelope ", env_len, ") at byte offset ", offset_));
  }
  out->receive_time_ns = static_cast<int64_t>(GetU64(head + 8));
  out->topic.resize(topic_len);
  out->envelope.resize(env_len);
  unsigned char tail[4];
  if (std::fread(out->topic.data(), 1, topic_len, file_) != topic_len ||
      std::fread(out->envelope.data(), 1, env_len, file_) != env_len ||
      std::fread(tail, 1, sizeof(tail), file_) != sizeof(tail)) {
    return truncated();
  }
  uint32_t crc = Crc32c(Crc32c(0, out->topic), out->envelope);
  if (crc != GetU32(tail)) {
    return absl::DataLossError(
        StrCat(path_, ": checksum mismatch in the record at byte offset ", offset_));
  }
  offset_ += sizeof(head) + topic_len + env_len + sizeof(tail);
  return true;
}

}  // namespace tradeplane::bus
