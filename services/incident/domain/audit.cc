#include "services/incident/domain/audit.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/incident/domain/timestamps.h"

namespace tiquete::incident {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string Scalar(const Message& m, const FieldDescriptor* f, int index) {
  const auto* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* v = rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f);
      // Unset reads as "" rather than "STATE_UNSPECIFIED": nothing was there.
      return v->number() == 0 ? "" : v->name();
    }
    default:
      return "";
  }
}

std::string Value(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  if (f->is_repeated()) {
    std::vector<std::string> items;
    for (int i = 0; i < r->FieldSize(m, f); ++i) items.push_back(Scalar(m, f, i));
    return absl::StrJoin(items, ",");
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    if (!r->HasField(m, f)) return "";
    const auto& ts = static_cast<const google::protobuf::Timestamp&>(r->GetMessage(m, f));
    return IsSet(ts)
               ? absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", FromProtoTime(ts), absl::UTCTimeZone())
               : "";
  }
  return Scalar(m, f, 0);
}

void Diff(const Message& before, const Message& after, const std::string& prefix,
          std::vector<v1::FieldChange>* out) {
  const auto* d = before.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->name() == "version" || f->name() == "updated_at" || f->name() == "attachments") {
      continue;
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_repeated() &&
        f->message_type() != google::protobuf::Timestamp::descriptor()) {
      Diff(before.GetReflection()->GetMessage(before, f),
           after.GetReflection()->GetMessage(after, f), absl::StrCat(prefix, f->name(), "."), out);
      continue;
    }
    std::string old_value = Value(before, f);
    std::string new_value = Value(after, f);
    if (old_value == new_value) continue;
    v1::FieldChange change;
    change.set_field(absl::StrCat(prefix, f->name()));
    change.set_old_value(std::move(old_value));
    change.set_new_value(std::move(new_value));
    out->push_back(std::move(change));
  }
}

}  // namespace

std::vector<v1::FieldChange> DiffIncidents(const v1::Incident& before, const v1::Incident& after) {
  std::vector<v1::FieldChange> out;
  Diff(before, after, "", &out);
  return out;
}

}  // namespace tiquete::incident
