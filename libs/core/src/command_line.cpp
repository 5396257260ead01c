#include "tradeplane/core/command_line.h"

#include "tradeplane/core/str_cat.h"

#include "absl/strings/numbers.h"

namespace tradeplane {

absl::StatusOr<CommandLine> CommandLine::Parse(int argc, char** argv, int first,
                                               const std::vector<FlagDef>& flags) {
  std::vector<std::string> args;
  for (int i = first; i < argc; ++i) args.emplace_back(argv[i]);
  return Parse(args, flags);
}

absl::StatusOr<CommandLine> CommandLine::Parse(const std::vector<std::string>& args,
                                               const std::vector<FlagDef>& flags) {
  CommandLine cl;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || arg.size() < 2 || arg[0] != '-') {
      cl.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    std::string name;
    std::string inline_value;
    bool has_inline = false;
    const FlagDef* def = nullptr;
    if (arg.starts_with("--")) {
      name = arg.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_inline = true;
      }
      for (const FlagDef& f : flags) {
        if (f.name == name) def = &f;
      }
    } else {
      name = arg.substr(1);
      for (const FlagDef& f : flags) {
        if (!f.short_name.empty() && f.short_name == name) def = &f;
      }
    }
    if (def == nullptr) {
      return absl::InvalidArgumentError(StrCat("unknown flag '", arg, "' (see --help)"));
    }
    if (!def->takes_value) {
      if (has_inline) {
        return absl::InvalidArgumentError(StrCat("flag --", def->name, " takes no value"));
      }
      cl.values_[def->name].push_back("true");
      continue;
    }
    std::string value;
    if (has_inline) {
      value = inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(StrCat("flag --", def->name, " needs a value (",
                                               def->value_name.empty() ? "VALUE" : def->value_name,
                                               ")"));
    }
    std::vector<std::string>& slot = cl.values_[def->name];
    if (!def->repeated && !slot.empty()) {
      return absl::InvalidArgumentError(StrCat("flag --", def->name, " given more than once"));
    }
    slot.push_back(value);
  }
  return cl;
}

std::string CommandLine::Get(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || it->second.empty()) return std::string(fallback);
  return it->second.back();
}

const std::vector<std::string>& CommandLine::GetAll(std::string_view name) const {
  static const std::vector<std::string> kEmpty;
  auto it = values_.find(std::string(name));
  return it == values_.end() ? kEmpty : it->second;
}

absl::StatusOr<int64_t> CommandLine::GetInt(std::string_view name, int64_t fallback) const {
  if (!Has(name)) return fallback;
  std::string v = Get(name);
  int64_t out;
  if (!absl::SimpleAtoi(v, &out)) {
    return absl::InvalidArgumentError(StrCat("flag --", name, ": '", v, "' is not an integer"));
  }
  return out;
}

std::string FlagHelp(const std::vector<FlagDef>& flags) {
  std::string out;
  for (const FlagDef& f : flags) {
    std::string left = "  ";
    if (!f.short_name.empty()) StrAppend(&left, "-", f.short_name, ", ");
    StrAppend(&left, "--", f.name);
    if (f.takes_value) StrAppend(&left, " ", f.value_name.empty() ? "VALUE" : f.value_name);
    if (left.size() < 30) left.append(30 - left.size(), ' ');
    StrAppend(&out, left, " ", f.help, f.repeated ? " (repeatable)" : "", "\n");
  }
  return out;
}

}  // namespace tradeplane
