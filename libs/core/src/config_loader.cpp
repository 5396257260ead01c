#include "tradeplane/core/config_loader.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <yaml-cpp/yaml.h>

#include "tradeplane/common/v1/options.pb.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/core/timestamp.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"

namespace tradeplane {
namespace {

namespace pb = google::protobuf;
namespace opts = tradeplane::common::v1;

constexpr size_t kMaxErrors = 20;

bool IsFixedPoint(const pb::FieldDescriptor& f) {
  return f.options().GetExtension(opts::fixed_point);
}
bool IsPath(const pb::FieldDescriptor& f) { return f.options().GetExtension(opts::path); }
bool IsRequired(const pb::FieldDescriptor& f) { return f.options().GetExtension(opts::required); }
bool IsTimestamp(const pb::FieldDescriptor& f) {
  return f.cpp_type() == pb::FieldDescriptor::CPPTYPE_INT64 && absl::EndsWith(f.name(), "_ns") &&
         !f.options().GetExtension(opts::duration);
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : StrCat(path, ".", key);
}

std::string FormatBound(double v, bool fixed) {
  if (fixed) {
    absl::StatusOr<int64_t> raw = fixed_point::FromDouble(v, Rounding::kHalfEven);
    if (raw.ok()) return fixed_point::FormatRaw(*raw);
  }
  if (v == std::floor(v) && std::fabs(v) < 1e15) return StrCat(static_cast<int64_t>(v));
  return StrCat(v);
}

class YamlToProto {
 public:
  YamlToProto(std::string_view source, std::string_view base_dir)
      : source_(source), base_dir_(base_dir) {}

  void Message(const YAML::Node& node, pb::Message* msg, const std::string& path) {
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      Error(node, path,
            StrCat("expected a mapping of keys for ", msg->GetDescriptor()->name(), ", found ",
                   Kind(node)));
      return;
    }
    const pb::Descriptor* d = msg->GetDescriptor();
    std::set<std::string> seen;
    std::set<const pb::OneofDescriptor*> oneofs_set;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) {
        Error(it->first, path, "keys must be plain names");
        continue;
      }
      const std::string& key = it->first.Scalar();
      std::string field_path = Join(path, key);
      if (!seen.insert(key).second) {
        Error(it->first, field_path, "duplicate key");
        continue;
      }
      const pb::FieldDescriptor* f = d->FindFieldByName(key);
      if (f == nullptr) {
        std::vector<std::string> known;
        for (int i = 0; i < d->field_count(); ++i) known.push_back(d->field(i)->name());
        Error(it->first, field_path,
              StrCat("unknown key (", d->name(), " has: ", absl::StrJoin(known, ", "), ")"));
        continue;
      }
      if (const pb::OneofDescriptor* o = f->real_containing_oneof(); o != nullptr) {
        if (!oneofs_set.insert(o).second) {
          Error(it->first, field_path, StrCat("only one of '", o->name(), "' may be set"));
          continue;
        }
      }
      Field(it->second, msg, f, field_path);
    }
  }

  void CheckConstraints(const pb::Message& msg, const std::string& path, bool check_ranges) {
    const pb::Reflection* r = msg.GetReflection();
    const pb::Descriptor* d = msg.GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      std::string field_path = Join(path, f->name());
      if (IsRequired(*f)) {
        bool set = f->is_repeated() ? r->FieldSize(msg, f) > 0 : r->HasField(msg, f);
        if (!set) ErrorAt(field_path, "required");
      }
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        if (f->is_map()) continue;
        if (f->is_repeated()) {
          for (int j = 0; j < r->FieldSize(msg, f); ++j) {
            CheckConstraints(r->GetRepeatedMessage(msg, f, j), StrCat(field_path, "[", j, "]"),
                             check_ranges);
          }
        } else if (r->HasField(msg, f)) {
          CheckConstraints(r->GetMessage(msg, f), field_path, check_ranges);
        }
        continue;
      }
      if (!check_ranges || !f->options().HasExtension(opts::range)) continue;
      int n = f->is_repeated() ? r->FieldSize(msg, f) : 1;
      for (int j = 0; j < n; ++j) {
        std::string p = f->is_repeated() ? StrCat(field_path, "[", j, "]") : field_path;
        CheckRange(*f, NumericValue(msg, *f, f->is_repeated() ? j : -1), p);
      }
    }
  }

  std::vector<std::string> TakeErrors() { return std::move(errors_); }
  void ErrorAt(const std::string& path, std::string_view why) {
    if (errors_.size() < kMaxErrors) errors_.push_back(StrCat(source_, ": ", path, ": ", why));
  }
  void Error(const YAML::Node& node, const std::string& path, std::string_view why) {
    if (errors_.size() >= kMaxErrors) return;
    YAML::Mark m = node.Mark();
    std::string where =
        m.is_null() ? std::string(source_) : StrCat(source_, ":", m.line + 1, ":", m.column + 1);
    errors_.push_back(StrCat(where, ": ", path.empty() ? "(top level)" : path, ": ", why));
  }

 private:
  static std::string Kind(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Map:
        return "a mapping";
      case YAML::NodeType::Sequence:
        return "a list";
      case YAML::NodeType::Scalar:
        return StrCat("'", node.Scalar(), "'");
      case YAML::NodeType::Null:
        return "nothing";
      default:
        return "an undefined node";
    }
  }

  void Field(const YAML::Node& node, pb::Message* msg, const pb::FieldDescriptor* f,
             const std::string& path) {
    const pb::Reflection* r = msg->GetReflection();
    if (f->is_map()) {
      if (!node.IsMap()) {
        if (!node.IsNull()) Error(node, path, StrCat("expected a mapping, found ", Kind(node)));
        return;
      }
      const pb::FieldDescriptor* key_field = f->message_type()->map_key();
      const pb::FieldDescriptor* value_field = f->message_type()->map_value();
      std::set<std::string> seen;
      for (auto it = node.begin(); it != node.end(); ++it) {
        std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
        std::string entry_path = Join(path, key);
        if (!it->first.IsScalar() || !seen.insert(key).second) {
          Error(it->first, entry_path, "keys must be unique plain names");
          continue;
        }
        pb::Message* entry = r->AddMessage(msg, f);
        Scalar(it->first, entry, key_field, entry_path, /*fixed=*/false);
        if (value_field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
          Message(it->second, entry->GetReflection()->MutableMessage(entry, value_field),
                  entry_path);
        } else {
          Scalar(it->second, entry, value_field, entry_path, IsFixedPoint(*f));
        }
      }
      return;
    }
    if (f->is_repeated()) {
      if (node.IsNull()) return;
      if (!node.IsSequence()) {
        Error(node, path, StrCat("expected a list, found ", Kind(node)));
        return;
      }
      for (size_t i = 0; i < node.size(); ++i) {
        std::string item_path = StrCat(path, "[", i, "]");
        if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
          Message(node[i], r->AddMessage(msg, f), item_path);
        } else {
          Scalar(node[i], msg, f, item_path, IsFixedPoint(*f));
        }
      }
      return;
    }
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      Message(node, r->MutableMessage(msg, f), path);
      return;
    }
    Scalar(node, msg, f, path, IsFixedPoint(*f));
  }

  // Sets (or, for repeated fields, adds) one scalar value.
  void Scalar(const YAML::Node& node, pb::Message* msg, const pb::FieldDescriptor* f,
              const std::string& path, bool fixed) {
    const pb::Reflection* r = msg->GetReflection();
    if (!node.IsScalar()) {
      Error(node, path, StrCat("expected a single value, found ", Kind(node)));
      return;
    }
    const std::string& text = node.Scalar();
    const bool rep = f->is_repeated();
    auto bad = [&](std::string_view what) {
      Error(node, path, StrCat("'", text.substr(0, 64), "' is not ", what));
    };
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_INT32: {
        int32_t v;
        if (!absl::SimpleAtoi(text, &v)) return bad("a 32-bit integer");
        if (!CheckRange(*f, v, path, node)) return;
        rep ? r->AddInt32(msg, f, v) : r->SetInt32(msg, f, v);
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_INT64: {
        int64_t v;
        if (fixed) {
          absl::StatusOr<int64_t> raw = fixed_point::ParseRaw(text);
          if (!raw.ok()) return Error(node, path, ToStd(raw.status().message()));
          v = *raw;
        } else if (IsTimestamp(*f) && !absl::SimpleAtoi(text, &v)) {
          absl::StatusOr<Timestamp> t = ParseRfc3339(text);
          if (!t.ok()) return Error(node, path, ToStd(t.status().message()));
          v = t->nanos();
        } else if (!absl::SimpleAtoi(text, &v)) {
          return bad("an integer");
        }
        if (!CheckRange(*f,
                        fixed ? static_cast<double>(v) / kFixedPointScale : static_cast<double>(v),
                        path, node)) {
          return;
        }
        rep ? r->AddInt64(msg, f, v) : r->SetInt64(msg, f, v);
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_UINT32: {
        uint32_t v;
        if (!text.empty() && text[0] == '-') return bad("a non-negative integer");
        if (!absl::SimpleAtoi(text, &v)) return bad("a non-negative 32-bit integer");
        if (!CheckRange(*f, v, path, node)) return;
        rep ? r->AddUInt32(msg, f, v) : r->SetUInt32(msg, f, v);
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t v;
        if (!text.empty() && text[0] == '-') return bad("a non-negative integer");
        if (!absl::SimpleAtoi(text, &v)) return bad("a non-negative integer");
        if (!CheckRange(*f, static_cast<double>(v), path, node)) return;
        rep ? r->AddUInt64(msg, f, v) : r->SetUInt64(msg, f, v);
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      case pb::FieldDescriptor::CPPTYPE_FLOAT: {
        double v;
        if (!absl::SimpleAtod(text, &v) || !std::isfinite(v)) return bad("a finite number");
        if (!CheckRange(*f, v, path, node)) return;
        if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_DOUBLE) {
          rep ? r->AddDouble(msg, f, v) : r->SetDouble(msg, f, v);
        } else {
          rep ? r->AddFloat(msg, f, static_cast<float>(v))
              : r->SetFloat(msg, f, static_cast<float>(v));
        }
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_BOOL: {
        bool v;
        if (text == "true") {
          v = true;
        } else if (text == "false") {
          v = false;
        } else {
          return bad("true or false");
        }
        rep ? r->AddBool(msg, f, v) : r->SetBool(msg, f, v);
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        const pb::EnumValueDescriptor* v = FindEnumValue(*f->enum_type(), text);
        if (v == nullptr) {
          return Error(
              node, path,
              StrCat("'", text.substr(0, 64), "' is not one of ", EnumChoices(*f->enum_type())));
        }
        rep ? r->AddEnum(msg, f, v) : r->SetEnum(msg, f, v);
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_STRING: {
        std::string v = text;
        if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
          if (!absl::Base64Unescape(text, &v)) return bad("base64");
        } else if (IsPath(*f) && !v.empty() && v[0] != '/' && !base_dir_.empty()) {
          v = StrCat(base_dir_, "/", v);
        }
        rep ? r->AddString(msg, f, std::move(v)) : r->SetString(msg, f, std::move(v));
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_MESSAGE:
        return;
    }
  }

  static double NumericValue(const pb::Message& msg, const pb::FieldDescriptor& f, int index) {
    const pb::Reflection* r = msg.GetReflection();
    bool rep = index >= 0;
    switch (f.cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_INT32:
        return rep ? r->GetRepeatedInt32(msg, &f, index) : r->GetInt32(msg, &f);
      case pb::FieldDescriptor::CPPTYPE_INT64: {
        double v =
            static_cast<double>(rep ? r->GetRepeatedInt64(msg, &f, index) : r->GetInt64(msg, &f));
        return IsFixedPoint(f) ? v / kFixedPointScale : v;
      }
      case pb::FieldDescriptor::CPPTYPE_UINT32:
        return rep ? r->GetRepeatedUInt32(msg, &f, index) : r->GetUInt32(msg, &f);
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        return static_cast<double>(rep ? r->GetRepeatedUInt64(msg, &f, index)
                                       : r->GetUInt64(msg, &f));
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
        return rep ? r->GetRepeatedDouble(msg, &f, index) : r->GetDouble(msg, &f);
      case pb::FieldDescriptor::CPPTYPE_FLOAT:
        return rep ? r->GetRepeatedFloat(msg, &f, index) : r->GetFloat(msg, &f);
      default:
        return 0;
    }
  }

  bool CheckRange(const pb::FieldDescriptor& f, double v, const std::string& path,
                  const YAML::Node& node) {
    std::string why = RangeViolation(f, v);
    if (why.empty()) return true;
    Error(node, path, why);
    return false;
  }
  void CheckRange(const pb::FieldDescriptor& f, double v, const std::string& path) {
    std::string why = RangeViolation(f, v);
    if (!why.empty()) ErrorAt(path, why);
  }
  static std::string RangeViolation(const pb::FieldDescriptor& f, double v) {
    if (!f.options().HasExtension(opts::range)) return "";
    const opts::FieldRange& range = f.options().GetExtension(opts::range);
    if ((range.has_min() && v < range.min()) || (range.has_max() && v > range.max())) {
      bool fixed = IsFixedPoint(f);
      return StrCat(FormatBound(v, fixed), " is out of range [",
                    range.has_min() ? FormatBound(range.min(), fixed) : "-inf", ", ",
                    range.has_max() ? FormatBound(range.max(), fixed) : "inf", "]");
    }
    return "";
  }

  std::string source_;
  std::string base_dir_;
  std::vector<std::string> errors_;
};

absl::Status Collect(std::vector<std::string> errors) {
  if (errors.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
}

}  // namespace

absl::Status ParseYamlConfig(std::string_view yaml, std::string_view source,
                             std::string_view base_dir, pb::Message* message) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        StrCat(source, ":", e.mark.line + 1, ":", e.mark.column + 1, ": not valid YAML: ", e.msg));
  }
  YamlToProto loader(source, base_dir);
  try {
    loader.Message(root, message, "");
  } catch (const YAML::Exception& e) {
    loader.ErrorAt("(document)", e.what());
  }
  std::vector<std::string> errors = loader.TakeErrors();
  if (!errors.empty()) return Collect(std::move(errors));
  // Ranges were checked value by value above, with line numbers.
  loader.CheckConstraints(*message, "", /*check_ranges=*/false);
  return Collect(loader.TakeErrors());
}

absl::Status LoadYamlConfigFile(const std::string& path, pb::Message* message) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(StrCat("cannot open config file '", path, "'"));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(StrCat("cannot read config file '", path, "'"));
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  return ParseYamlConfig(text.str(), path, dir, message);
}

absl::Status ValidateConfig(const pb::Message& message) {
  YamlToProto checker("config", "");
  checker.CheckConstraints(message, "", /*check_ranges=*/true);
  return Collect(checker.TakeErrors());
}

}  // namespace tradeplane
