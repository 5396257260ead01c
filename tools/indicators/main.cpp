// tradeplane-indicators: computes indicators over a file of bars and writes
// them as CSV, for research and for checking the streaming indicators
// against other tools.
//
//   tradeplane-indicators --input FILE --format {binance-klines,csv}
//                         --indicator NAME:PARAMS [--indicator ...]
//
// Exit codes: 0 done; 1 bad input data (the message names the line); 2 bad
// usage or indicator parameters. Output is written as it is computed, so
// after an input error standard output holds the rows before the bad line.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/str_cat.h"

#include "bar_reader.h"
#include "indicator_columns.h"

namespace tradeplane::indicators_tool {
namespace {

constexpr int kExitInput = 1;
constexpr int kExitUsage = 2;

std::string Usage() {
  return StrCat(
      "Usage: tradeplane-indicators --input FILE --format FORMAT --indicator SPEC [--indicator "
      "SPEC ...]\n"
      "\n"
      "Computes streaming indicators over bars and writes CSV to standard output: the column\n"
      "ts exactly as in the input, then one column per indicator output; a cell is empty\n"
      "while its indicator warms up. Numbers are printed in the shortest form that reads\n"
      "back as the same double.\n"
      "\n"
      "  --input FILE      the bars; - reads standard input\n"
      "  --format FORMAT   binance-klines: data.binance.vision kline CSV (12 columns, no\n"
      "                    header; open_time in ms, or us from 1e15)\n"
      "                    csv: header ts,open,high,low,close,volume; ts RFC 3339 or an\n"
      "                    integer epoch (s, ms, us or ns by magnitude)\n"
      "  --indicator SPEC  NAME or NAME:PARAMS, repeatable:\n",
      IndicatorCatalog(),
      "  --help            this text\n"
      "\n"
      "Formulas, warm-up rules and TA-Lib compatibility: docs/reference/indicators.md.\n"
      "Exit status: 0 done, 1 bad input (the message names the line), 2 bad usage.\n");
}

int UsageError(std::string_view message) {
  std::fprintf(stderr, "tradeplane-indicators: %.*s\nTry --help.\n",
               static_cast<int>(message.size()), message.data());
  return kExitUsage;
}

// "--name value" or "--name=value".
bool TakeValue(std::string_view arg, std::string_view name, int& i, int argc, char** argv,
               std::string* value, std::string* error) {
  if (arg == name) {
    if (i + 1 >= argc) {
      *error = StrCat(name, " needs a value");
      return true;
    }
    *value = argv[++i];
    return true;
  }
  if (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=') {
    *value = std::string(arg.substr(name.size() + 1));
    return true;
  }
  return false;
}

int Run(int argc, char** argv) {
  std::string input;
  std::string format_text;
  std::vector<std::string> specs;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string value;
    std::string error;
    if (arg == "--help" || arg == "-h") {
      std::fputs(Usage().c_str(), stdout);
      return 0;
    }
    if (TakeValue(arg, "--input", i, argc, argv, &value, &error)) {
      if (!error.empty()) return UsageError(error);
      input = value;
    } else if (TakeValue(arg, "--format", i, argc, argv, &value, &error)) {
      if (!error.empty()) return UsageError(error);
      format_text = value;
    } else if (TakeValue(arg, "--indicator", i, argc, argv, &value, &error)) {
      if (!error.empty()) return UsageError(error);
      specs.push_back(value);
    } else {
      return UsageError(StrCat("unknown argument '", arg, "'"));
    }
  }
  if (input.empty()) return UsageError("--input FILE is required");
  if (format_text.empty()) return UsageError("--format is required (binance-klines or csv)");
  if (specs.empty()) return UsageError("at least one --indicator is required");
  absl::StatusOr<InputFormat> format = ParseFormat(format_text);
  if (!format.ok()) return UsageError(ToStd(format.status().message()));

  std::vector<std::unique_ptr<IndicatorColumns>> columns;
  std::string header = "ts";
  std::vector<std::string> seen;
  for (const std::string& spec : specs) {
    absl::StatusOr<std::unique_ptr<IndicatorColumns>> made = ParseIndicator(spec);
    if (!made.ok()) return UsageError(ToStd(made.status().message()));
    for (const std::string& name : (*made)->names()) {
      for (const std::string& other : seen) {
        if (other == name) {
          return UsageError(
              StrCat("--indicator '", spec, "': column ", name, " is already in the output"));
        }
      }
      seen.push_back(name);
      StrAppend(&header, ",", name);
    }
    columns.push_back(*std::move(made));
  }

  std::FILE* file = input == "-" ? stdin : std::fopen(input.c_str(), "rb");
  if (file == nullptr) {
    std::fprintf(stderr, "tradeplane-indicators: cannot open %s: %s\n", input.c_str(),
                 std::strerror(errno));
    return kExitInput;
  }
  BarReader reader(file, input == "-" ? std::string("<stdin>") : input, *format);
  std::string out = header;
  out.push_back('\n');
  int exit_code = 0;
  while (true) {
    absl::StatusOr<std::optional<ReadBar>> next = reader.Next();
    if (!next.ok()) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
      std::fflush(stdout);
      std::fprintf(stderr, "tradeplane-indicators: %s\n",
                   std::string(next.status().message()).c_str());
      exit_code = kExitInput;
      break;
    }
    if (!next->has_value()) break;
    const ReadBar& read = **next;
    out.append(read.ts);
    for (const auto& column : columns) {
      column->Update(read.bar);
      column->AppendCells(&out);
    }
    out.push_back('\n');
    if (out.size() > (1 << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (file != stdin) std::fclose(file);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "tradeplane-indicators: writing standard output: %s\n",
                 std::strerror(errno));
    return kExitInput;
  }
  return exit_code;
}

}  // namespace
}  // namespace tradeplane::indicators_tool

int main(int argc, char** argv) { return tradeplane::indicators_tool::Run(argc, argv); }
