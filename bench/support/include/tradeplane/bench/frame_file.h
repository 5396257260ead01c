// Captured messages handed from one benchmark process to another (a relay,
// a raw publisher): length-prefixed frames in one file, each a native-endian
// uint32 size and then the bytes. Both ends are the same binary on the same
// machine, so the byte order needs no fixing.
#ifndef TRADEPLANE_BENCH_FRAME_FILE_H_
#define TRADEPLANE_BENCH_FRAME_FILE_H_

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace tradeplane::bench {

void AppendFrame(std::ofstream& out, std::string_view frame);
// False at the end of the file or on a frame cut short.
bool ReadFrame(std::ifstream& in, std::string* frame);

// The whole file at once; ReadFrames is false when the file cannot be read,
// a frame is cut short or there is none.
bool WriteFrames(const std::string& path, const std::vector<std::string>& frames);
bool ReadFrames(const std::string& path, std::vector<std::string>* frames);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_FRAME_FILE_H_
