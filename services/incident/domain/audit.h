// What changed between two versions of an incident, field by field, as the audit trail and the
// events record it ("state": "ASSIGNED" → "IN_PROGRESS").
#pragma once

#include <string>
#include <vector>

#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

// Every field that differs, in field-number order. version and updated_at change on every write
// and attachments are recorded where they are added, so those are left out; the survey is
// compared per sub-field ("survey.rating").
std::vector<v1::FieldChange> DiffIncidents(const v1::Incident& before, const v1::Incident& after);

}  // namespace tiquete::incident
