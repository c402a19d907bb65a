// The category tree ("Software > SIMAT > Acceso"): paths are stored denormalised and rewritten
// below a node whenever it is renamed or moved.
#include "common/errors.h"
#include "services/directory/domain/text.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory {

using namespace store_internal;  // NOLINT(google-build-using-namespace): this file's helpers

namespace {

#define CATEGORY_SELECT \
  "SELECT c.id, c.parent_id, c.name, c.full_path, c.default_group_id, c.security, "          \
  "c.description, c.active, c.version, c.sort_key, "                                         \
  "array_length(string_to_array(c.full_path, ' > '), 1) - 1 AS depth, "                       \
  DIRECTORY_MICROS("c.created_at") " AS created_us, " DIRECTORY_MICROS("c.updated_at")       \
  " AS updated_us, g.code AS default_group_code FROM categories c "                          \
  "LEFT JOIN support_groups g ON g.id = c.default_group_id "

const Stmt kById = {"dir_category_by_id", CATEGORY_SELECT "WHERE c.id = $1"};
const Stmt kByIdForUpdate = {"dir_category_by_id_fu",
                             CATEGORY_SELECT "WHERE c.id = $1 FOR UPDATE OF c"};
const Stmt kInsert = {
    "dir_category_insert",
    "INSERT INTO categories (parent_id, name, full_path, default_group_id, security, "
    "description, created_at, updated_at) SELECT $1::uuid, $2::text, "
    "coalesce((SELECT full_path || ' > ' FROM categories WHERE id = $1::uuid), '') || $2, "
    "$3::uuid, $4, $5, $6::timestamptz, $6::timestamptz RETURNING id"};
const Stmt kUpdate = {
    "dir_category_update",
    "UPDATE categories SET parent_id = $3::uuid, name = $4::text, "
    "full_path = coalesce((SELECT p.full_path || ' > ' FROM categories p WHERE p.id = $3::uuid), "
    "'') || $4, default_group_id = $5::uuid, security = $6, description = $7, "
    "version = version + 1, updated_at = $8::timestamptz WHERE id = $1 AND version = $2"};
// Paths below a renamed or moved node, recomputed from the node down. Versions of the
// descendants stay: none of their own fields changed.
const Stmt kRewritePaths = {
    "dir_category_rewrite_paths",
    "WITH RECURSIVE t(id, path) AS ("
    " SELECT c.id, p.full_path || ' > ' || c.name FROM categories c"
    " JOIN categories p ON p.id = c.parent_id WHERE c.parent_id = $1"
    " UNION ALL SELECT c.id, t.path || ' > ' || c.name FROM categories c"
    " JOIN t ON c.parent_id = t.id) "
    "UPDATE categories c SET full_path = t.path, updated_at = $2::timestamptz FROM t "
    "WHERE c.id = t.id AND c.full_path <> t.path RETURNING c.id"};
const Stmt kNameTaken = {
    "dir_category_name_taken",
    "SELECT full_path FROM categories WHERE parent_id IS NOT DISTINCT FROM $1::uuid "
    "AND name_key = fold_search($2) AND id IS DISTINCT FROM $3::uuid"};
const Stmt kIsAncestor = {
    "dir_category_is_ancestor",
    "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM categories WHERE id = $1 "
    "UNION SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id) "
    "SELECT 1 FROM up WHERE id = $2"};
const Stmt kActiveChildren = {"dir_category_active_children",
                              "SELECT count(*) FROM categories WHERE parent_id = $1 AND active"};

#define CATEGORY_FILTERS                          \
  "WHERE ($1::boolean IS NULL OR c.active = $1) " \
  "AND ($2::uuid IS NULL OR c.parent_id = $2) "   \
  "AND (NOT $3::boolean OR c.parent_id IS NULL) " \
  "AND ($4::boolean IS NULL OR c.security = $4) " \
  "AND ($5::text IS NULL OR c.search_text LIKE fold_search($5)) "

const std::string kListSql = CATEGORY_SELECT CATEGORY_FILTERS
    "AND ($6::text IS NULL OR (c.sort_key, c.id) > ($6::text COLLATE \"C\", $7::uuid)) "
    "ORDER BY c.sort_key, c.id LIMIT $8";
const std::string kCountSql = "SELECT count(*) FROM categories c " CATEGORY_FILTERS;
// Depth-first order: comparing the levels as an array keeps every node right before its
// subtree, which a flat string comparison of paths does not ("A (x)" < "A > B").
const std::string kTreeSql = CATEGORY_SELECT
    "WHERE $1::boolean OR c.active ORDER BY string_to_array(c.sort_key, ' > '), c.id";

absl::Status CheckName(pqxx::work& tx, const v1::Category& c, const std::string& self_id) {
  const pqxx::result r = Exec(tx, kNameTaken, Opt(c.parent_id()), c.name(), Opt(self_id));
  if (!r.empty()) {
    return Error(absl::StatusCode::kAlreadyExists, "NAME_TAKEN",
                 "category \"" + std::string(r[0][0].c_str()) + "\" already exists here", "name");
  }
  return absl::OkStatus();
}

absl::Status CheckReferences(pqxx::work& tx, const v1::Category& c, const v1::Category* current) {
  const bool moved = current == nullptr || current->parent_id() != c.parent_id();
  if (!c.parent_id().empty() && moved) {
    DIRECTORY_RETURN_IF_ERROR(CheckReference(tx, Kind::kCategory, c.parent_id(), "parent_id"));
    if (current != nullptr) {
      LockTree(tx, "categories");
      if (!Exec(tx, kIsAncestor, c.parent_id(), current->id()).empty()) {
        return Error(absl::StatusCode::kFailedPrecondition, "CATEGORY_CYCLE",
                     "a category cannot be moved under itself or one of its descendants",
                     "parent_id");
      }
    }
  }
  if (!c.default_group_id().empty() &&
      (current == nullptr || current->default_group_id() != c.default_group_id())) {
    DIRECTORY_RETURN_IF_ERROR(
        CheckReference(tx, Kind::kGroup, c.default_group_id(), "default_group_id"));
  }
  return absl::OkStatus();
}

}  // namespace

namespace store_internal {

const char* const kCategorySelect = CATEGORY_SELECT;

v1::Category ReadCategory(const pqxx::row& row) {
  v1::Category c;
  c.set_id(row["id"].c_str());
  c.set_parent_id(Str(row["parent_id"]));
  c.set_name(row["name"].c_str());
  c.set_full_path(row["full_path"].c_str());
  c.set_default_group_id(Str(row["default_group_id"]));
  c.set_security(row["security"].as<bool>());
  c.set_description(row["description"].c_str());
  c.set_active(row["active"].as<bool>());
  c.set_version(row["version"].as<int64_t>());
  c.set_depth(row["depth"].as<int>(0));
  SetTime(row["created_us"], c.mutable_create_time());
  SetTime(row["updated_us"], c.mutable_update_time());
  c.set_default_group_code(Str(row["default_group_code"]));
  return c;
}

absl::Status LoadCategory(pqxx::work& tx, const std::string& id, bool for_update,
                          v1::Category* out) {
  const pqxx::result r = Exec(tx, for_update ? kByIdForUpdate : kById, id);
  if (r.empty()) return NotFound("category", id);
  *out = ReadCategory(r[0]);
  return absl::OkStatus();
}

std::string InsertCategoryRow(pqxx::work& tx, const v1::Category& c, const std::string& now) {
  return Exec(tx, kInsert, Opt(c.parent_id()), c.name(), Opt(c.default_group_id()), c.security(),
              c.description(), now)[0][0]
      .c_str();
}

absl::StatusOr<std::vector<std::string>> UpdateCategoryRow(pqxx::work& tx, const v1::Category& c,
                                                           const std::string& now) {
  const pqxx::result r = Exec(tx, kUpdate, c.id(), c.version(), Opt(c.parent_id()), c.name(),
                              Opt(c.default_group_id()), c.security(), c.description(), now);
  if (r.affected_rows() == 0) {
    return Error(absl::StatusCode::kAborted, "STALE_VERSION",
                 "category " + c.full_path() + " changed while this write was prepared", "version");
  }
  std::vector<std::string> moved;
  for (const pqxx::row& row : Exec(tx, kRewritePaths, c.id(), now)) moved.push_back(row[0].c_str());
  return moved;
}

}  // namespace store_internal

absl::StatusOr<v1::Category> DirectoryStore::CreateCategory(const v1::Category& category,
                                                            const WriteContext& ctx) {
  v1::Category out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto first = ClaimCreate(tx, "directory.category.create", ctx);
    if (!first.ok()) return first.status();
    if (first->has_value()) return LoadCategory(tx, **first, false, &out);
    DIRECTORY_RETURN_IF_ERROR(CheckReferences(tx, category, nullptr));
    DIRECTORY_RETURN_IF_ERROR(CheckName(tx, category, ""));
    const std::string id = InsertCategoryRow(tx, category, NowText(clock_));
    RecordCreate(tx, "directory.category.create", ctx, id);
    DIRECTORY_RETURN_IF_ERROR(LoadCategory(tx, id, false, &out));
    Emit(tx, "category", "created", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Category> DirectoryStore::UpdateCategory(const std::string& id, int64_t version,
                                                            const v1::Category& category,
                                                            const WriteContext& ctx) {
  v1::Category out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::Category current;
    DIRECTORY_RETURN_IF_ERROR(LoadCategory(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kCategory, id, current.version(), version));
    v1::Category desired = category;
    desired.set_id(id);
    desired.set_version(version);
    if (SameMutableFields(desired, current)) {
      out = current;
      return absl::OkStatus();
    }
    DIRECTORY_RETURN_IF_ERROR(CheckReferences(tx, desired, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckName(tx, desired, id));
    const std::string now = NowText(clock_);
    auto moved = UpdateCategoryRow(tx, desired, now);
    if (!moved.ok()) return moved.status();
    DIRECTORY_RETURN_IF_ERROR(LoadCategory(tx, id, false, &out));
    Emit(tx, "category", "updated", id, out, ctx);
    // Consumers keep category paths (reports, ticket views): tell them about each new path.
    for (const std::string& descendant : *moved) {
      v1::Category changed;
      DIRECTORY_RETURN_IF_ERROR(LoadCategory(tx, descendant, false, &changed));
      Emit(tx, "category", "updated", descendant, changed, ctx);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Category> DirectoryStore::SetCategoryActive(const std::string& id,
                                                               int64_t version, bool active,
                                                               const WriteContext& ctx) {
  v1::Category out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::Category current;
    DIRECTORY_RETURN_IF_ERROR(LoadCategory(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kCategory, id, current.version(), version));
    if (current.active() == active) {
      out = current;
      return absl::OkStatus();
    }
    if (active && !current.parent_id().empty()) {
      DIRECTORY_RETURN_IF_ERROR(
          CheckReference(tx, Kind::kCategory, current.parent_id(), "parent_id"));
    }
    if (!active && Exec(tx, kActiveChildren, id)[0][0].as<int64_t>() > 0) {
      return Error(absl::StatusCode::kFailedPrecondition, "HAS_ACTIVE_CHILDREN",
                   "deactivate its active subcategories first", "id");
    }
    WriteActive(tx, Kind::kCategory, id, active, NowText(clock_));
    DIRECTORY_RETURN_IF_ERROR(LoadCategory(tx, id, false, &out));
    Emit(tx, "category", active ? "reactivated" : "deactivated", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Category> DirectoryStore::GetCategory(const std::string& id) {
  v1::Category out;
  const absl::Status status =
      pool_.Read([&](pqxx::work& tx) { return LoadCategory(tx, id, false, &out); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ListCategoriesResponse> DirectoryStore::ListCategories(
    const v1::ListCategoriesRequest& request, const PageArgs& page) {
  v1::ListCategoriesResponse out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    const auto active = request.has_active() ? std::optional<bool>(request.active()) : std::nullopt;
    const auto parent = Opt(request.parent_id());
    const bool roots = request.roots_only();
    const auto security =
        request.has_security() ? std::optional<bool>(request.security()) : std::nullopt;
    const auto query = Opt(ContainsWordsPattern(request.query()));
    const pqxx::result rows = PageRows(tx, kListSql, page, active, parent, roots, security, query);
    for (size_t i = 0; i < PageLength(rows, page); ++i) {
      *out.add_categories() = ReadCategory(rows[i]);
    }
    out.set_next_page_token(NextPageToken(rows, page));
    if (page.include_total) {
      out.set_total_size(
          tx.exec_params1(kCountSql, active, parent, roots, security, query)[0].as<int>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ListCategoryTreeResponse> DirectoryStore::ListCategoryTree(
    bool include_inactive) {
  v1::ListCategoryTreeResponse out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    for (const pqxx::row& row : tx.exec_params(kTreeSql, include_inactive)) {
      *out.add_categories() = ReadCategory(row);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::directory
