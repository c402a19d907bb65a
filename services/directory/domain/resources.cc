#include "services/directory/domain/resources.h"

#include <algorithm>

#include "common/text.h"
#include "services/directory/domain/text.h"

namespace tiquete::directory {
namespace {

constexpr size_t kNameMax = 200;
constexpr size_t kDescriptionMax = 4000;

void Add(Problems* p, std::string field, std::string reason, std::string message) {
  p->push_back({std::move(field), std::move(reason), std::move(message)});
}

void RequiredText(const char* field, std::string* value, size_t max, Problems* p) {
  std::string out;
  if (!NormalizeText(field, *value, max, &out, p)) return;
  if (out.empty()) {
    Add(p, field, "REQUIRED", "is required");
    return;
  }
  *value = std::move(out);
}

void OptionalText(const char* field, std::string* value, size_t max, Problems* p) {
  std::string out;
  if (NormalizeText(field, *value, max, &out, p)) *value = std::move(out);
}

void Code(std::string* value, Problems* p) {
  if (value->empty()) {
    Add(p, "code", "REQUIRED", "is required");
    return;
  }
  std::string out;
  if (!NormalizeCode(*value, &out)) {
    Add(p, "code", "INVALID_CODE",
        "must be 1 to 40 letters, digits, '.', '_' or '-' starting with a letter or digit");
    return;
  }
  *value = std::move(out);
}

void OptionalEmail(const char* field, std::string* value, Problems* p) {
  if (value->find_first_not_of(" \t") == std::string::npos) {
    value->clear();
    return;
  }
  std::string out;
  if (!NormalizeEmail(*value, &out)) {
    Add(p, field, "INVALID_EMAIL", "\"" + *value + "\" is not a valid email address");
    return;
  }
  *value = std::move(out);
}

void OptionalPhone(std::string* value, Problems* p) {
  if (value->find_first_not_of(" \t") == std::string::npos) {
    value->clear();
    return;
  }
  std::string out;
  if (!NormalizePhone(*value, &out)) {
    Add(p, "phone", "INVALID_PHONE",
        "\"" + *value +
            "\" is not a Colombian phone number (10 digits: mobile 3XX..., landline 60X...)");
    return;
  }
  *value = std::move(out);
}

void Id(const char* field, const std::string& value, bool required, Problems* p) {
  if (value.empty()) {
    if (required) Add(p, field, "REQUIRED", "is required");
    return;
  }
  if (!IsUuid(value)) Add(p, field, "INVALID_ID", "\"" + value + "\" is not a valid id");
}

void Enum(const char* field, std::string* value, std::span<const std::string_view> allowed,
          bool upper, Problems* p) {
  std::string v = AsciiLower(text::CollapseAsciiSpaces(*value));
  if (upper) {
    for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (v.empty()) {
    Add(p, field, "REQUIRED", "is required (" + JoinValues(allowed) + ")");
    return;
  }
  if (!IsOneOf(v, allowed)) {
    Add(p, field, "INVALID_VALUE", "\"" + *value + "\" is not one of " + JoinValues(allowed));
    return;
  }
  *value = std::move(v);
}

template <typename T>
bool EqualAfter(T a, T b, void (*clear)(T*)) {
  clear(&a);
  clear(&b);
  return a.SerializeAsString() == b.SerializeAsString();
}

}  // namespace

Problems NormalizeOrgUnit(v1::OrgUnit* r) {
  Problems p;
  Code(r->mutable_code(), &p);
  RequiredText("name", r->mutable_name(), kNameMax, &p);
  Enum("kind", r->mutable_kind(), OrgUnitKinds(), false, &p);
  Id("parent_id", r->parent_id(), r->kind() == "campus", &p);
  std::string dane(text::CollapseAsciiSpaces(r->dane_code()));
  if (dane.empty()) {
    if (KindNeedsDaneCode(r->kind())) {
      Add(&p, "dane_code", "REQUIRED", "is required for schools and campuses");
    }
  } else if (!IsValidDaneCode(dane)) {
    Add(&p, "dane_code", "INVALID_DANE_CODE", "\"" + dane + "\" is not a 12-digit DANE code");
  }
  r->set_dane_code(dane);
  OptionalText("municipality", r->mutable_municipality(), kNameMax, &p);
  OptionalText("department", r->mutable_department(), kNameMax, &p);
  OptionalText("address", r->mutable_address(), kNameMax, &p);
  OptionalPhone(r->mutable_phone(), &p);
  OptionalEmail("email", r->mutable_email(), &p);
  return p;
}

Problems NormalizePerson(v1::Person* r) {
  Problems p;
  if (r->email().empty()) {
    Add(&p, "email", "REQUIRED", "is required");
  } else {
    OptionalEmail("email", r->mutable_email(), &p);
  }
  RequiredText("given_name", r->mutable_given_name(), 100, &p);
  RequiredText("family_name", r->mutable_family_name(), 100, &p);
  OptionalPhone(r->mutable_phone(), &p);
  if (r->national_id().find_first_not_of(" \t") == std::string::npos) {
    r->clear_national_id();
  } else {
    std::string id;
    if (NormalizeNationalId(r->national_id(), &id)) {
      r->set_national_id(id);
    } else {
      Add(&p, "national_id", "INVALID_NATIONAL_ID",
          "\"" + r->national_id() + "\" must be 3 to 20 letters, digits or dashes");
    }
  }
  Id("org_unit_id", r->org_unit_id(), true, &p);
  OptionalText("job_title", r->mutable_job_title(), kNameMax, &p);

  std::vector<std::string> roles;
  for (const std::string& raw : r->roles()) {
    const std::string role = AsciiLower(text::CollapseAsciiSpaces(raw));
    if (role.empty()) continue;
    if (!IsOneOf(role, Roles())) {
      Add(&p, "roles", "UNKNOWN_ROLE",
          "\"" + raw + "\" is not a role (" + JoinValues(Roles()) + ")");
      continue;
    }
    roles.push_back(role);
  }
  // Everybody on the staff may at least ask for help.
  if (roles.empty()) roles.emplace_back("requester");
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  r->clear_roles();
  for (std::string& role : roles) r->add_roles(std::move(role));
  return p;
}

Problems NormalizeGroup(v1::Group* r) {
  Problems p;
  Code(r->mutable_code(), &p);
  RequiredText("name", r->mutable_name(), kNameMax, &p);
  Enum("level", r->mutable_level(), GroupLevels(), true, &p);
  Enum("kind", r->mutable_kind(), GroupKinds(), false, &p);
  OptionalText("contract_reference", r->mutable_contract_reference(), kNameMax, &p);
  // Third-level work is bought under an underpinning contract; without its reference the
  // desk cannot hold the provider to an SLA.
  if (r->kind() == "provider" && r->contract_reference().empty()) {
    Add(&p, "contract_reference", "REQUIRED", "is required for provider groups");
  }
  OptionalEmail("email", r->mutable_email(), &p);
  return p;
}

Problems NormalizeCategory(v1::Category* r) {
  Problems p;
  RequiredText("name", r->mutable_name(), 100, &p);
  if (r->name().find('>') != std::string::npos) {
    Add(&p, "name", "INVALID_NAME", "must not contain '>' (it separates path levels)");
  }
  Id("parent_id", r->parent_id(), false, &p);
  Id("default_group_id", r->default_group_id(), false, &p);
  std::string description;
  if (NormalizeMultilineText("description", r->description(), kDescriptionMax, &description, &p)) {
    r->set_description(description);
  }
  return p;
}

Problems NormalizeItService(v1::ItService* r) {
  Problems p;
  Code(r->mutable_code(), &p);
  RequiredText("name", r->mutable_name(), kNameMax, &p);
  std::string description;
  if (NormalizeMultilineText("description", r->description(), kDescriptionMax, &description, &p)) {
    r->set_description(description);
  }
  Id("owner_group_id", r->owner_group_id(), true, &p);
  Enum("criticality", r->mutable_criticality(), Criticalities(), false, &p);
  return p;
}

Problems NormalizeConfigurationItem(v1::ConfigurationItem* r) {
  Problems p;
  Code(r->mutable_code(), &p);
  RequiredText("name", r->mutable_name(), kNameMax, &p);
  Enum("type", r->mutable_type(), CiTypes(), false, &p);
  Id("service_id", r->service_id(), false, &p);
  Id("owner_group_id", r->owner_group_id(), false, &p);
  Enum("criticality", r->mutable_criticality(), Criticalities(), false, &p);
  return p;
}

Problems NormalizeCiRelation(v1::CiRelationRequest* r) {
  Problems p;
  Id("source_ci_id", r->source_ci_id(), true, &p);
  Id("target_ci_id", r->target_ci_id(), true, &p);
  Enum("kind", r->mutable_kind(), CiRelationKinds(), false, &p);
  if (!r->source_ci_id().empty() && r->source_ci_id() == r->target_ci_id()) {
    Add(&p, "target_ci_id", "SELF_RELATION", "a configuration item cannot relate to itself");
  }
  return p;
}

namespace {

void ClearOrgUnit(v1::OrgUnit* r) {
  r->clear_id();
  r->clear_active();
  r->clear_version();
  r->clear_create_time();
  r->clear_update_time();
  r->clear_parent_code();
}
void ClearPerson(v1::Person* r) {
  r->clear_id();
  r->clear_active();
  r->clear_version();
  r->clear_create_time();
  r->clear_update_time();
  r->clear_groups();
  r->clear_org_unit_code();
  r->clear_display_name();
}
void ClearGroup(v1::Group* r) {
  r->clear_id();
  r->clear_active();
  r->clear_version();
  r->clear_create_time();
  r->clear_update_time();
}
void ClearCategory(v1::Category* r) {
  r->clear_id();
  r->clear_active();
  r->clear_version();
  r->clear_create_time();
  r->clear_update_time();
  r->clear_full_path();
  r->clear_default_group_code();
  r->clear_depth();
}
void ClearItService(v1::ItService* r) {
  r->clear_id();
  r->clear_active();
  r->clear_version();
  r->clear_create_time();
  r->clear_update_time();
  r->clear_owner_group_code();
}
void ClearCi(v1::ConfigurationItem* r) {
  r->clear_id();
  r->clear_active();
  r->clear_version();
  r->clear_create_time();
  r->clear_update_time();
  r->clear_service_code();
  r->clear_owner_group_code();
  r->clear_relations();
}

}  // namespace

bool SameMutableFields(const v1::OrgUnit& a, const v1::OrgUnit& b) {
  return EqualAfter<v1::OrgUnit>(a, b, ClearOrgUnit);
}
bool SameMutableFields(const v1::Person& a, const v1::Person& b) {
  return EqualAfter<v1::Person>(a, b, ClearPerson);
}
bool SameMutableFields(const v1::Group& a, const v1::Group& b) {
  return EqualAfter<v1::Group>(a, b, ClearGroup);
}
bool SameMutableFields(const v1::Category& a, const v1::Category& b) {
  return EqualAfter<v1::Category>(a, b, ClearCategory);
}
bool SameMutableFields(const v1::ItService& a, const v1::ItService& b) {
  return EqualAfter<v1::ItService>(a, b, ClearItService);
}
bool SameMutableFields(const v1::ConfigurationItem& a, const v1::ConfigurationItem& b) {
  return EqualAfter<v1::ConfigurationItem>(a, b, ClearCi);
}

std::string DisplayName(const v1::Person& p) {
  if (p.family_name().empty()) return p.given_name();
  if (p.given_name().empty()) return p.family_name();
  return p.given_name() + " " + p.family_name();
}

std::string OrgUnitParentRule(const std::string& kind, const std::string& parent_kind) {
  if (parent_kind == "campus") return "nothing can belong to a campus";
  if (kind == "campus" && parent_kind != "school") return "a campus must belong to a school";
  if (kind == "secretariat" && parent_kind != "secretariat") {
    return "a secretariat can only belong to another secretariat";
  }
  return "";
}

bool KindNeedsDaneCode(const std::string& kind) { return kind == "school" || kind == "campus"; }

std::vector<std::string> SplitCategoryPath(std::string_view path) {
  std::vector<std::string> names;
  while (true) {
    const size_t at = path.find('>');
    names.push_back(text::CollapseAsciiSpaces(path.substr(0, at)));
    if (at == std::string_view::npos) break;
    path.remove_prefix(at + 1);
  }
  return names;
}

std::string JoinCategoryPath(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += kPathSeparator;
    out += n;
  }
  return out;
}

std::string CategoryPathKey(std::string_view path) {
  return FoldForSearch(JoinCategoryPath(SplitCategoryPath(path)));
}

std::string ParentCategoryPathKey(std::string_view path) {
  std::vector<std::string> names = SplitCategoryPath(path);
  names.pop_back();
  return FoldForSearch(JoinCategoryPath(names));
}

}  // namespace tiquete::directory
