// The reporting schema's migrations (migrations/*.sql), embedded at build time.
#pragma once

#include <vector>

#include "common/migrations.h"

namespace tiquete::reporting {

const std::vector<tiquete::Migration>& Migrations();

}  // namespace tiquete::reporting
