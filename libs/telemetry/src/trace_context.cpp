#include "tradeplane/telemetry/trace_context.h"

#include <algorithm>
#include <cstring>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::telemetry {
namespace {

thread_local SpanContext t_current;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is not allowed by the spec
}

bool DecodeHex(std::string_view text, uint8_t* out, size_t size) {
  if (text.size() != size * 2) return false;
  for (size_t i = 0; i < size; ++i) {
    int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

template <size_t N>
bool AllZero(const std::array<uint8_t, N>& a) {
  return std::all_of(a.begin(), a.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace

std::string HexEncode(const uint8_t* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return out;
}

bool SpanContext::valid() const { return !AllZero(trace_id) && !AllZero(span_id); }
std::string SpanContext::TraceIdHex() const { return HexEncode(trace_id.data(), trace_id.size()); }
std::string SpanContext::SpanIdHex() const { return HexEncode(span_id.data(), span_id.size()); }

std::string SpanContext::ToTraceparent() const {
  return StrCat("00-", TraceIdHex(), "-", SpanIdHex(), "-", HexEncode(&flags, 1));
}

absl::StatusOr<SpanContext> SpanContext::FromTraceparent(std::string_view header) {
  // version "00" is 55 characters; later versions may append fields after a '-'.
  if (header.size() < 55 || header[2] != '-' || header[35] != '-' || header[52] != '-' ||
      (header.size() > 55 && header[55] != '-')) {
    return absl::InvalidArgumentError(StrCat("malformed traceparent '", header.substr(0, 80), "'"));
  }
  uint8_t version;
  SpanContext c;
  if (!DecodeHex(header.substr(0, 2), &version, 1) || version == 0xff ||
      (version == 0 && header.size() != 55) ||
      !DecodeHex(header.substr(3, 32), c.trace_id.data(), 16) ||
      !DecodeHex(header.substr(36, 16), c.span_id.data(), 8) ||
      !DecodeHex(header.substr(53, 2), &c.flags, 1)) {
    return absl::InvalidArgumentError(StrCat("malformed traceparent '", header.substr(0, 80), "'"));
  }
  if (!c.valid()) {
    return absl::InvalidArgumentError("traceparent with an all-zero trace or span id");
  }
  return c;
}

void SpanContext::ToProto(common::v1::TraceContext* out) const {
  if (!valid()) {
    out->Clear();
    return;
  }
  // assign() reuses the fields' strings: set_trace_id(data, size) would
  // build a temporary std::string (a heap allocation for 16 bytes) per call.
  out->mutable_trace_id()->assign(reinterpret_cast<const char*>(trace_id.data()), trace_id.size());
  out->mutable_span_id()->assign(reinterpret_cast<const char*>(span_id.data()), span_id.size());
  out->set_trace_flags(flags);
}

SpanContext SpanContext::FromProto(const common::v1::TraceContext& in) {
  SpanContext c;
  if (in.trace_id().size() != 16 || in.span_id().size() != 8) return c;
  std::memcpy(c.trace_id.data(), in.trace_id().data(), 16);
  std::memcpy(c.span_id.data(), in.span_id().data(), 8);
  c.flags = static_cast<uint8_t>(in.trace_flags() & 0xff);
  if (!c.valid()) return SpanContext();
  return c;
}

const SpanContext& CurrentSpanContext() { return t_current; }

ScopedTraceContext::ScopedTraceContext(const SpanContext& context) : previous_(t_current) {
  t_current = context;
}

ScopedTraceContext::~ScopedTraceContext() { t_current = previous_; }

}  // namespace tradeplane::telemetry
