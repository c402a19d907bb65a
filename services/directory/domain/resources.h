// The rules of each directory resource taken alone: required fields, formats and allowed
// values, normalised in place. Rules that need other stored rows (references, uniqueness,
// cycles) live in the store, which sees the database.
#pragma once

#include "services/directory/domain/validation.h"
#include "tiquete/directory/v1/directory.pb.h"

namespace tiquete::directory {

// Each Normalize* cleans the mutable fields of `r` (trimming, canonical email/phone/codes,
// sorted roles...) and returns every problem found, named by the proto field.
Problems NormalizeOrgUnit(v1::OrgUnit* r);
Problems NormalizePerson(v1::Person* r);
Problems NormalizeGroup(v1::Group* r);
Problems NormalizeCategory(v1::Category* r);
Problems NormalizeItService(v1::ItService* r);
Problems NormalizeConfigurationItem(v1::ConfigurationItem* r);
Problems NormalizeCiRelation(v1::CiRelationRequest* r);

// True when the mutable fields (references by id included) are equal: an update that changes
// nothing is answered without a write, a new version or an event.
bool SameMutableFields(const v1::OrgUnit& a, const v1::OrgUnit& b);
bool SameMutableFields(const v1::Person& a, const v1::Person& b);
bool SameMutableFields(const v1::Group& a, const v1::Group& b);
bool SameMutableFields(const v1::Category& a, const v1::Category& b);
bool SameMutableFields(const v1::ItService& a, const v1::ItService& b);
bool SameMutableFields(const v1::ConfigurationItem& a, const v1::ConfigurationItem& b);

// "given family".
std::string DisplayName(const v1::Person& p);

// The rules for an org unit's parent: a campus belongs to a school, nothing belongs to a
// campus, and a secretariat only sits under another secretariat. "" when allowed, else why not.
std::string OrgUnitParentRule(const std::string& kind, const std::string& parent_kind);

// Schools and campuses are identified nationally by their DANE code.
bool KindNeedsDaneCode(const std::string& kind);

// Category paths: "Software > SIMAT > Acceso" ⇄ {"Software", "SIMAT", "Acceso"}.
inline constexpr std::string_view kPathSeparator = " > ";
std::vector<std::string> SplitCategoryPath(std::string_view path);
std::string JoinCategoryPath(const std::vector<std::string>& names);
// The key a path is matched by: levels cleaned and folded ("software > simat > acceso").
std::string CategoryPathKey(std::string_view path);
// The key of the parent of `path`; "" for a root.
std::string ParentCategoryPathKey(std::string_view path);

}  // namespace tiquete::directory
