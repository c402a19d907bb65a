-- Sign-in credentials of directory people. Passwords are Argon2id hashes in libsodium's
-- crypto_pwhash_str format; API tokens are kept only as the SHA-256 of their secret, which
-- is shown once when the token is created.

CREATE TABLE person_passwords (
  person_id uuid PRIMARY KEY REFERENCES people (id),
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  updated_at timestamptz NOT NULL
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people (id),
  name text NOT NULL CHECK (name <> '' AND length(name) <= 100),
  secret_sha256 text NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
  prefix text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE UNIQUE INDEX api_tokens_secret ON api_tokens (secret_sha256);
CREATE INDEX api_tokens_person ON api_tokens (person_id, created_at);
