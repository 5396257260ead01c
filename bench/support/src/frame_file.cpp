#include "tradeplane/bench/frame_file.h"

#include <cstdint>

namespace tradeplane::bench {

void AppendFrame(std::ofstream& out, std::string_view frame) {
  uint32_t size = static_cast<uint32_t>(frame.size());
  out.write(reinterpret_cast<const char*>(&size), sizeof(size));
  out.write(frame.data(), static_cast<std::streamsize>(frame.size()));
}

bool ReadFrame(std::ifstream& in, std::string* frame) {
  uint32_t size = 0;
  if (!in.read(reinterpret_cast<char*>(&size), sizeof(size))) return false;
  frame->resize(size);
  return static_cast<bool>(in.read(frame->data(), size));
}

bool WriteFrames(const std::string& path, const std::vector<std::string>& frames) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const std::string& frame : frames) AppendFrame(out, frame);
  return static_cast<bool>(out);
}

bool ReadFrames(const std::string& path, std::vector<std::string>* frames) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string frame;
  while (in.peek() != std::ifstream::traits_type::eof()) {
    if (!ReadFrame(in, &frame)) return false;  // cut short
    frames->push_back(frame);
  }
  return !frames->empty();
}

}  // namespace tradeplane::bench
