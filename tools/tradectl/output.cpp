#include "output.h"

#include <algorithm>

#include "tradeplane/core/json_format.h"
#include "tradeplane/core/str_cat.h"

#include <rapidjson/document.h>

namespace tradeplane::tradectl {
namespace {

namespace pb = google::protobuf;

// Flattens a JSON value into "path: value" pairs for tables.
void Flatten(const rapidjson::Value& v, const std::string& path,
             std::vector<std::pair<std::string, std::string>>* out) {
  if (v.IsObject()) {
    // An instrument reads best as VENUE.SYMBOL.
    if (v.MemberCount() == 2 && v.HasMember("venue") && v.HasMember("symbol") &&
        v["venue"].IsString() && v["symbol"].IsString()) {
      out->emplace_back(path, StrCat(v["venue"].GetString(), ".", v["symbol"].GetString()));
      return;
    }
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string key = it->name.GetString();
      Flatten(it->value, path.empty() ? key : path + "." + key, out);
    }
    return;
  }
  if (v.IsArray()) {
    if (v.Empty()) {
      out->emplace_back(path, "");
      return;
    }
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      Flatten(v[i], StrCat(path, "[", i, "]"), out);
    }
    return;
  }
  std::string text;
  if (v.IsString()) {
    text = v.GetString();
  } else if (v.IsNull()) {
    text = "";
  } else if (v.IsBool()) {
    text = v.GetBool() ? "true" : "false";
  } else if (v.IsInt64()) {
    text = StrCat(v.GetInt64());
  } else if (v.IsUint64()) {
    text = StrCat(v.GetUint64());
  } else {
    text = StrCat(v.GetDouble());
  }
  out->emplace_back(path, text);
}

void YamlValue(const rapidjson::Value& v, int indent, bool in_list, std::string* out);

void YamlScalar(const rapidjson::Value& v, std::string* out) {
  if (v.IsString()) {
    AppendJsonString(v.GetString(), out);  // a JSON string is a valid YAML string
  } else if (v.IsNull()) {
    out->append("null");
  } else if (v.IsBool()) {
    out->append(v.GetBool() ? "true" : "false");
  } else if (v.IsInt64()) {
    StrAppend(out, v.GetInt64());
  } else if (v.IsUint64()) {
    StrAppend(out, v.GetUint64());
  } else {
    StrAppend(out, v.GetDouble());
  }
}

void YamlValue(const rapidjson::Value& v, int indent, bool in_list, std::string* out) {
  std::string pad(static_cast<size_t>(indent) * 2, ' ');
  if (v.IsObject()) {
    if (v.MemberCount() == 0) {
      out->append(" {}\n");
      return;
    }
    bool first = true;
    if (!in_list) out->append("\n");
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      if (!(in_list && first)) out->append(pad);
      first = false;
      StrAppend(out, it->name.GetString(), ":");
      if (it->value.IsObject() || it->value.IsArray()) {
        YamlValue(it->value, indent + 1, false, out);
      } else {
        out->append(" ");
        YamlScalar(it->value, out);
        out->append("\n");
      }
    }
    return;
  }
  if (v.IsArray()) {
    if (v.Empty()) {
      out->append(" []\n");
      return;
    }
    out->append("\n");
    for (const auto& item : v.GetArray()) {
      out->append(pad).append("- ");
      if (item.IsObject()) {
        YamlValue(item, indent + 1, true, out);
      } else {
        YamlScalar(item, out);
        out->append("\n");
      }
    }
    return;
  }
  out->append(" ");
  YamlScalar(v, out);
  out->append("\n");
}

}  // namespace

absl::StatusOr<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table" || name.empty()) return OutputFormat::kTable;
  if (name == "json") return OutputFormat::kJson;
  if (name == "yaml") return OutputFormat::kYaml;
  return absl::InvalidArgumentError(
      StrCat("unknown output format '", name, "' (table, json, yaml)"));
}

absl::StatusOr<std::string> JsonToYaml(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) return absl::InternalError("cannot convert the reply to YAML");
  std::string out;
  if (doc.IsObject()) {
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
      StrAppend(&out, it->name.GetString(), ":");
      if (it->value.IsObject() || it->value.IsArray()) {
        YamlValue(it->value, 1, false, &out);
      } else {
        out.append(" ");
        YamlScalar(it->value, &out);
        out.append("\n");
      }
    }
  }
  return out;
}

std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], r[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < width.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      out += cell;
      if (i + 1 < width.size()) out.append(width[i] - cell.size() + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  for (const auto& r : rows) out += line(r);
  return out;
}

std::string Render(const pb::Message& message, OutputFormat format) {
  std::string json = ToJson(message, {.pretty = format == OutputFormat::kJson});
  if (format == OutputFormat::kJson) return json + "\n";
  if (format == OutputFormat::kYaml) {
    absl::StatusOr<std::string> yaml = JsonToYaml(json);
    return yaml.ok() ? *yaml : json + "\n";
  }
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  // One repeated message field: a table of its elements.
  const pb::Descriptor* d = message.GetDescriptor();
  const pb::FieldDescriptor* list = nullptr;
  int lists = 0;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_repeated() && !f->is_map() && f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      list = f;
      ++lists;
    }
  }
  if (lists == 1 && d->field_count() == 1) {
    const rapidjson::Value& items = doc[list->name().c_str()];
    if (items.Empty()) return StrCat("(no ", list->name(), ")\n");
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    for (const auto& item : items.GetArray()) {
      std::vector<std::pair<std::string, std::string>> cells;
      Flatten(item, "", &cells);
      if (header.empty()) {
        for (auto& [k, v] : cells) header.push_back(k);
      }
      std::vector<std::string> row;
      for (const std::string& h : header) {
        auto it = std::find_if(cells.begin(), cells.end(), [&](auto& c) { return c.first == h; });
        row.push_back(it == cells.end() ? "" : it->second);
      }
      rows.push_back(std::move(row));
    }
    return RenderTable(header, rows);
  }
  std::vector<std::pair<std::string, std::string>> cells;
  Flatten(doc, "", &cells);
  size_t w = 0;
  for (auto& [k, v] : cells) w = std::max(w, k.size());
  std::string out;
  for (auto& [k, v] : cells) {
    out += k + ":" + std::string(w - k.size() + 1, ' ') + v + "\n";
  }
  return out;
}

}  // namespace tradeplane::tradectl
