-- What the desk supports and how tickets are classified: the category tree, IT services,
-- configuration items and the relations between them.

CREATE TABLE categories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id uuid REFERENCES categories (id),
  name text NOT NULL CHECK (name <> '' AND strpos(name, '>') = 0),
  -- Denormalised "A > B > C", maintained by the store when an ancestor is renamed or moved,
  -- so pickers and reports read a path without walking the tree.
  full_path text NOT NULL,
  default_group_id uuid REFERENCES support_groups (id),
  security boolean NOT NULL DEFAULT false,
  description text NOT NULL DEFAULT '',
  active boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  name_key text GENERATED ALWAYS AS (fold_search(name)) STORED,
  sort_key text COLLATE "C" GENERATED ALWAYS AS (fold_search(full_path)) STORED,
  search_text text GENERATED ALWAYS AS (fold_search(full_path || ' ' || description)) STORED,
  CHECK (parent_id <> id)
);
-- Siblings differ by more than case or accents; roots are siblings of each other too.
CREATE UNIQUE INDEX categories_sibling_name ON categories (parent_id, name_key) NULLS NOT DISTINCT;
CREATE INDEX categories_page ON categories (sort_key, id);
CREATE INDEX categories_search ON categories USING gin (search_text ext.gin_trgm_ops);

CREATE TABLE it_services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{0,39}$'),
  name text NOT NULL CHECK (name <> ''),
  description text NOT NULL DEFAULT '',
  owner_group_id uuid NOT NULL REFERENCES support_groups (id),
  criticality text NOT NULL CHECK (criticality IN ('high', 'medium', 'low')),
  active boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sort_key text COLLATE "C" GENERATED ALWAYS AS (fold_search(name)) STORED,
  search_text text GENERATED ALWAYS AS (
    fold_search(code || ' ' || name || ' ' || description)) STORED
);
CREATE UNIQUE INDEX it_services_code ON it_services (code);
CREATE INDEX it_services_owner ON it_services (owner_group_id);
CREATE INDEX it_services_page ON it_services (sort_key, id);
CREATE INDEX it_services_search ON it_services USING gin (search_text ext.gin_trgm_ops);

CREATE TABLE configuration_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{0,39}$'),
  name text NOT NULL CHECK (name <> ''),
  type text NOT NULL CHECK (type IN ('application', 'database', 'server', 'network_device',
                                     'workstation', 'printer', 'platform', 'email_service',
                                     'link')),
  service_id uuid REFERENCES it_services (id),
  owner_group_id uuid REFERENCES support_groups (id),
  criticality text NOT NULL CHECK (criticality IN ('high', 'medium', 'low')),
  active boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sort_key text COLLATE "C" GENERATED ALWAYS AS (fold_search(name)) STORED,
  search_text text GENERATED ALWAYS AS (fold_search(code || ' ' || name)) STORED
);
CREATE UNIQUE INDEX configuration_items_code ON configuration_items (code);
CREATE INDEX configuration_items_service ON configuration_items (service_id);
CREATE INDEX configuration_items_owner ON configuration_items (owner_group_id);
CREATE INDEX configuration_items_page ON configuration_items (sort_key, id);
CREATE INDEX configuration_items_search ON configuration_items
  USING gin (search_text ext.gin_trgm_ops);

-- source <kind> target: "SIMAT depends_on DB-SIMAT", "DB-SIMAT runs_on SRV-01".
CREATE TABLE ci_relations (
  source_id uuid NOT NULL REFERENCES configuration_items (id),
  target_id uuid NOT NULL REFERENCES configuration_items (id),
  kind text NOT NULL CHECK (kind IN ('depends_on', 'runs_on', 'connected_to')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (source_id, target_id, kind),
  CHECK (source_id <> target_id)
);
CREATE INDEX ci_relations_target ON ci_relations (target_id);
