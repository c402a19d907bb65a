-- People and where they work: org units, people, support groups and their members.

-- Search keys ignore case and accents ("Ibague" finds "Ibagué"). unaccent is only STABLE (its
-- dictionary could change), which generated columns and indexes refuse; pinning the
-- dictionary by name makes the result depend on the input alone, so the wrapper is declared
-- IMMUTABLE. The SQL-standard body is parsed now, so it does not depend on search_path later.
CREATE FUNCTION fold_search(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN lower(ext.unaccent('ext.unaccent'::regdictionary, t));

CREATE TABLE org_units (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{0,39}$'),
  name text NOT NULL CHECK (name <> ''),
  kind text NOT NULL CHECK (kind IN ('secretariat', 'office', 'school', 'campus')),
  parent_id uuid REFERENCES org_units (id),
  dane_code text CHECK (dane_code ~ '^[0-9]{12}$'),
  municipality text NOT NULL DEFAULT '',
  department text NOT NULL DEFAULT '',
  address text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  active boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- "C" collation: keyset pagination compares these in SQL and must agree with ORDER BY.
  sort_key text COLLATE "C" GENERATED ALWAYS AS (fold_search(name)) STORED,
  search_text text GENERATED ALWAYS AS (
    fold_search(code || ' ' || name || ' ' || municipality || ' ' || department || ' ' ||
                coalesce(dane_code, ''))) STORED,
  CHECK (parent_id <> id),
  CHECK (kind NOT IN ('school', 'campus') OR dane_code IS NOT NULL)
);
CREATE UNIQUE INDEX org_units_code ON org_units (code);
CREATE UNIQUE INDEX org_units_dane_code ON org_units (dane_code);
CREATE INDEX org_units_parent ON org_units (parent_id);
CREATE INDEX org_units_page ON org_units (sort_key, id);
CREATE INDEX org_units_municipality ON org_units (fold_search(municipality));
CREATE INDEX org_units_search ON org_units USING gin (search_text ext.gin_trgm_ops);

CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND email LIKE '_%@_%._%'),
  given_name text NOT NULL CHECK (given_name <> ''),
  family_name text NOT NULL CHECK (family_name <> ''),
  phone text NOT NULL DEFAULT '',
  national_id text CHECK (national_id <> ''),
  org_unit_id uuid NOT NULL REFERENCES org_units (id),
  job_title text NOT NULL DEFAULT '',
  roles text[] NOT NULL DEFAULT '{requester}' CHECK (
    roles <@ ARRAY['requester', 'agent_l1', 'specialist_l2', 'provider', 'coordinator',
                   'incident_manager', 'problem_manager', 'request_manager',
                   'security_officer', 'admin', 'reporting_viewer', 'integration']),
  active boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sort_key text COLLATE "C" GENERATED ALWAYS AS (
    fold_search(family_name || ' ' || given_name)) STORED,
  search_text text GENERATED ALWAYS AS (
    fold_search(given_name || ' ' || family_name || ' ' || email || ' ' ||
                coalesce(national_id, '') || ' ' || job_title)) STORED
);
CREATE UNIQUE INDEX people_email ON people (lower(email));
CREATE UNIQUE INDEX people_national_id ON people (national_id);
CREATE INDEX people_org_unit ON people (org_unit_id);
CREATE INDEX people_roles ON people USING gin (roles);
CREATE INDEX people_page ON people (sort_key, id);
CREATE INDEX people_search ON people USING gin (search_text ext.gin_trgm_ops);

-- "groups" is an SQL keyword (window frames); support_groups avoids quoting it everywhere.
CREATE TABLE support_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{0,39}$'),
  name text NOT NULL CHECK (name <> ''),
  level text NOT NULL CHECK (level IN ('L1', 'L2', 'L3')),
  kind text NOT NULL CHECK (kind IN ('support', 'provider', 'management', 'security')),
  contract_reference text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  active boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sort_key text COLLATE "C" GENERATED ALWAYS AS (fold_search(name)) STORED,
  search_text text GENERATED ALWAYS AS (
    fold_search(code || ' ' || name || ' ' || email || ' ' || contract_reference)) STORED,
  CHECK (kind <> 'provider' OR contract_reference <> '')
);
CREATE UNIQUE INDEX support_groups_code ON support_groups (code);
CREATE INDEX support_groups_page ON support_groups (sort_key, id);
CREATE INDEX support_groups_search ON support_groups USING gin (search_text ext.gin_trgm_ops);

CREATE TABLE group_members (
  group_id uuid NOT NULL REFERENCES support_groups (id),
  person_id uuid NOT NULL REFERENCES people (id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (group_id, person_id)
);
CREATE INDEX group_members_person ON group_members (person_id);
