#include "tradeplane/core/json_format.h"

#include <cmath>

#include <google/protobuf/descriptor.h>

#include "tradeplane/common/v1/options.pb.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/core/timestamp.h"

#include "absl/strings/match.h"

namespace tradeplane {
namespace {

namespace pb = google::protobuf;
namespace opts = tradeplane::common::v1;

class JsonWriter {
 public:
  JsonWriter(JsonOptions options, std::string* out) : options_(options), out_(out) {}

  void Message(const pb::Message& msg) {
    const pb::Descriptor* d = msg.GetDescriptor();
    const pb::Reflection* r = msg.GetReflection();
    out_->push_back('{');
    ++depth_;
    bool first = true;
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      // Of a oneof, only the member that is set.
      if (f->real_containing_oneof() != nullptr && !r->HasField(msg, f)) continue;
      if (!first) out_->push_back(',');
      first = false;
      Newline();
      AppendJsonString(f->name(), out_);
      out_->append(options_.pretty ? ": " : ":");
      Field(msg, f);
    }
    --depth_;
    if (!first) Newline();
    out_->push_back('}');
  }

 private:
  void Newline() {
    if (!options_.pretty) return;
    out_->push_back('\n');
    out_->append(static_cast<size_t>(depth_) * 2, ' ');
  }

  void Field(const pb::Message& msg, const pb::FieldDescriptor* f) {
    const pb::Reflection* r = msg.GetReflection();
    if (f->is_map()) {
      out_->push_back('{');
      ++depth_;
      int n = r->FieldSize(msg, f);
      const pb::FieldDescriptor* key_field = f->message_type()->map_key();
      const pb::FieldDescriptor* value_field = f->message_type()->map_value();
      for (int i = 0; i < n; ++i) {
        const pb::Message& entry = r->GetRepeatedMessage(msg, f, i);
        if (i > 0) out_->push_back(',');
        Newline();
        std::string key;
        const pb::Reflection* er = entry.GetReflection();
        switch (key_field->cpp_type()) {
          case pb::FieldDescriptor::CPPTYPE_STRING:
            key = er->GetString(entry, key_field);
            break;
          case pb::FieldDescriptor::CPPTYPE_INT32:
            key = StrCat(er->GetInt32(entry, key_field));
            break;
          case pb::FieldDescriptor::CPPTYPE_INT64:
            key = StrCat(er->GetInt64(entry, key_field));
            break;
          case pb::FieldDescriptor::CPPTYPE_UINT32:
            key = StrCat(er->GetUInt32(entry, key_field));
            break;
          case pb::FieldDescriptor::CPPTYPE_UINT64:
            key = StrCat(er->GetUInt64(entry, key_field));
            break;
          case pb::FieldDescriptor::CPPTYPE_BOOL:
            key = er->GetBool(entry, key_field) ? "true" : "false";
            break;
          default:
            break;
        }
        AppendJsonString(key, out_);
        out_->append(options_.pretty ? ": " : ":");
        Value(entry, value_field, -1, f->options().GetExtension(opts::fixed_point));
      }
      --depth_;
      if (n > 0) Newline();
      out_->push_back('}');
      return;
    }
    bool fixed = f->options().GetExtension(opts::fixed_point);
    if (f->is_repeated()) {
      out_->push_back('[');
      int n = r->FieldSize(msg, f);
      for (int i = 0; i < n; ++i) {
        if (i > 0) out_->push_back(',');
        if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
          ++depth_;
          Newline();
          --depth_;
        }
        Value(msg, f, i, fixed);
      }
      if (n > 0 && f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) Newline();
      out_->push_back(']');
      return;
    }
    Value(msg, f, -1, fixed);
  }

  // One value of a field; index < 0 for a singular field.
  void Value(const pb::Message& msg, const pb::FieldDescriptor* f, int index, bool fixed) {
    const pb::Reflection* r = msg.GetReflection();
    const bool rep = index >= 0;
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_MESSAGE:
        if (!rep && !r->HasField(msg, f)) {
          out_->append("null");
        } else {
          Message(rep ? r->GetRepeatedMessage(msg, f, index) : r->GetMessage(msg, f));
        }
        return;
      case pb::FieldDescriptor::CPPTYPE_INT32:
        StrAppend(out_, rep ? r->GetRepeatedInt32(msg, f, index) : r->GetInt32(msg, f));
        return;
      case pb::FieldDescriptor::CPPTYPE_INT64: {
        int64_t v = rep ? r->GetRepeatedInt64(msg, f, index) : r->GetInt64(msg, f);
        if (fixed) {
          out_->push_back('"');
          fixed_point::AppendRaw(v, out_);
          out_->push_back('"');
        } else if (absl::EndsWith(f->name(), "_ns") && !f->options().GetExtension(opts::duration)) {
          if (v == 0) {
            out_->append("null");
          } else {
            AppendJsonString(FormatRfc3339(Timestamp::FromNanos(v)), out_);
          }
        } else {
          StrAppend(out_, v);
        }
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_UINT32:
        StrAppend(out_, rep ? r->GetRepeatedUInt32(msg, f, index) : r->GetUInt32(msg, f));
        return;
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        StrAppend(out_, rep ? r->GetRepeatedUInt64(msg, f, index) : r->GetUInt64(msg, f));
        return;
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      case pb::FieldDescriptor::CPPTYPE_FLOAT: {
        double v = f->cpp_type() == pb::FieldDescriptor::CPPTYPE_DOUBLE
                       ? (rep ? r->GetRepeatedDouble(msg, f, index) : r->GetDouble(msg, f))
                       : (rep ? r->GetRepeatedFloat(msg, f, index) : r->GetFloat(msg, f));
        if (std::isfinite(v)) {
          StrAppend(out_, v);
        } else {
          out_->append("null");
        }
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        out_->append((rep ? r->GetRepeatedBool(msg, f, index) : r->GetBool(msg, f)) ? "true"
                                                                                    : "false");
        return;
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        int number = rep ? r->GetRepeatedEnumValue(msg, f, index) : r->GetEnumValue(msg, f);
        const pb::EnumValueDescriptor* v = f->enum_type()->FindValueByNumber(number);
        if (v == nullptr) {
          StrAppend(out_, number);
        } else {
          AppendJsonString(ShortEnumName(*v), out_);
        }
        return;
      }
      case pb::FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& v = rep ? r->GetRepeatedStringReference(msg, f, index, &scratch)
                                   : r->GetStringReference(msg, f, &scratch);
        if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
          static constexpr char kHex[] = "0123456789abcdef";
          out_->push_back('"');
          for (unsigned char c : v) {
            out_->push_back(kHex[c >> 4]);
            out_->push_back(kHex[c & 0xf]);
          }
          out_->push_back('"');
        } else {
          AppendJsonString(v, out_);
        }
        return;
      }
    }
  }

  JsonOptions options_;
  std::string* out_;
  int depth_ = 0;
};

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void AppendJson(const pb::Message& message, JsonOptions options, std::string* out) {
  JsonWriter(options, out).Message(message);
}

std::string ToJson(const pb::Message& message, JsonOptions options) {
  std::string out;
  AppendJson(message, options, &out);
  return out;
}

}  // namespace tradeplane
