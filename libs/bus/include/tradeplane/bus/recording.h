// Bus recordings: what tradeplane-recorder writes, for offline review,
// parity checks and bug reports. Format (version 1, little-endian):
//
//   file   := magic "TPBUSREC" | u32 version (=1) | u32 reserved (=0) | record*
//   record := u32 topic_len | u32 envelope_len | i64 receive_time_ns
//             | topic bytes | envelope bytes | u32 crc32c(topic bytes ++ envelope bytes)
//
// Envelopes are stored exactly as received (docs/protocol.md). A record cut
// short by a crash is reported with its offset; the reader can be told to
// treat such a tail as the end of the file.
#ifndef TRADEPLANE_BUS_RECORDING_H_
#define TRADEPLANE_BUS_RECORDING_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane::bus {

inline constexpr uint32_t kRecordingVersion = 1;

struct RecordedMessage {
  int64_t receive_time_ns = 0;
  std::string topic;
  std::string envelope;
};

class RecordingWriter {
 public:
  static absl::StatusOr<std::unique_ptr<RecordingWriter>> Create(const std::string& path);
  ~RecordingWriter();
  absl::Status Append(int64_t receive_time_ns, std::string_view topic, std::string_view envelope);
  absl::Status Flush();
  absl::Status Close();
  uint64_t records() const { return records_; }

 private:
  RecordingWriter(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  std::FILE* file_;
  std::string path_;
  uint64_t records_ = 0;
};

class RecordingReader {
 public:
  static absl::StatusOr<std::unique_ptr<RecordingReader>> Open(const std::string& path);
  ~RecordingReader();
  // True with the next record; false at the end. A corrupt or truncated
  // record is an error naming its byte offset.
  absl::StatusOr<bool> Next(RecordedMessage* out);
  // Treat a truncated last record (a recorder killed mid-write) as the end.
  void set_allow_truncated_tail(bool allow) { allow_truncated_tail_ = allow; }
  uint64_t offset() const { return offset_; }

 private:
  RecordingReader(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  std::FILE* file_;
  std::string path_;
  uint64_t offset_ = 16;
  bool allow_truncated_tail_ = false;
};

// CRC-32C (Castagnoli), as in iSCSI and LevelDB.
uint32_t Crc32c(uint32_t crc, std::string_view data);

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_RECORDING_H_
