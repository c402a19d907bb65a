-- Intake's archive of inbound messages, what each one produced, and the classification rules.
-- Enumerated columns hold the proto enum names (tiquete.intake.v1), so they read the same in
-- SQL, logs and the API.

CREATE TABLE messages (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel               text NOT NULL
                        CHECK (channel IN ('PORTAL', 'API', 'EMAIL', 'MONITORING', 'PHONE',
                                           'WALK_IN', 'CHAT')),
  requester_id          text NOT NULL,
  submitted_by          text NOT NULL,
  -- The verified caller (serialized tiquete.api.v1.Caller): the background hand-over retry
  -- calls the incident service on behalf of whoever submitted.
  caller                bytea NOT NULL,
  subject               text NOT NULL,
  body                  text NOT NULL,
  category_id           text NOT NULL DEFAULT '',
  service_id            text NOT NULL DEFAULT '',
  ci_ids                text[] NOT NULL DEFAULT '{}',
  impact                text NOT NULL DEFAULT 'LEVEL_UNSPECIFIED',
  urgency               text NOT NULL DEFAULT 'LEVEL_UNSPECIFIED',
  external_ref          text NOT NULL DEFAULT '',
  raw                   bytea NOT NULL,  -- the message exactly as received
  normalized_text       text NOT NULL,   -- folded subject and body (case, accents, punctuation)
  dedup_text            text NOT NULL,   -- what duplicate detection compares (pg_trgm)
  received_at           timestamptz NOT NULL,
  status                text NOT NULL DEFAULT 'RECEIVED'
                        CHECK (status IN ('RECEIVED', 'PENDING_HANDOFF', 'HANDED_OFF',
                                          'DUPLICATE', 'REJECTED')),
  -- Classification, once made (ticket_type NULL until then).
  ticket_type           text CHECK (ticket_type IN ('INCIDENT', 'SERVICE_REQUEST')),
  possible_security     boolean NOT NULL DEFAULT false,
  security_reason       text NOT NULL DEFAULT '',
  matched_rules         text[] NOT NULL DEFAULT '{}',
  classification_reason text NOT NULL DEFAULT '',
  -- The hand-over decision, recorded before it is carried out so that a retry carries out the
  -- same one (create an incident, or comment on plan_incident).
  plan                  text CHECK (plan IN ('CREATE', 'COMMENT')),
  plan_incident         text,
  plan_similarity       double precision,
  -- What the message produced.
  incident_number       text,
  comment_id            text,
  split_from            text,
  split_requested_by    text,
  handed_off_at         timestamptz,
  -- Hand-over bookkeeping: whoever holds the lease is carrying it out; failures are retried
  -- from next_attempt_at.
  handoff_attempts      integer NOT NULL DEFAULT 0,
  next_attempt_at       timestamptz,
  lease_until           timestamptz,
  last_error_code       integer,
  last_error_reason     text NOT NULL DEFAULT '',
  last_error_field      text NOT NULL DEFAULT '',
  last_error            text NOT NULL DEFAULT '',
  CHECK (plan <> 'COMMENT' OR plan_incident IS NOT NULL)
);

-- Duplicate detection: earlier messages of a requester that are linked to an incident.
CREATE INDEX messages_by_requester ON messages (requester_id, received_at DESC)
  WHERE incident_number IS NOT NULL;
-- The hand-over retry worker.
CREATE INDEX messages_pending ON messages (next_attempt_at)
  WHERE status IN ('RECEIVED', 'PENDING_HANDOFF');
-- Listing, newest first.
CREATE INDEX messages_by_time ON messages (received_at DESC, id DESC);

CREATE TABLE message_attachments (
  message_id   uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  position     integer NOT NULL,
  filename     text NOT NULL,
  content_type text NOT NULL DEFAULT '',
  content      bytea NOT NULL,
  sha256       text NOT NULL,
  size_bytes   bigint NOT NULL,
  PRIMARY KEY (message_id, position)
);

-- Every incident a message was linked to, in order: created, commented on, split into.
CREATE TABLE message_links (
  id              bigserial PRIMARY KEY,
  message_id      uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  kind            text NOT NULL
                  CHECK (kind IN ('CREATED_INCIDENT', 'COMMENTED_ON_INCIDENT',
                                  'SPLIT_INTO_INCIDENT')),
  incident_number text NOT NULL,
  comment_id      text NOT NULL DEFAULT '',
  actor_id        text NOT NULL DEFAULT '',
  linked_at       timestamptz NOT NULL
);
CREATE INDEX message_links_by_incident ON message_links (incident_number, message_id);
CREATE INDEX message_links_by_message ON message_links (message_id, id);

CREATE TABLE classification_rules (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind          text NOT NULL CHECK (kind IN ('SECURITY', 'SERVICE_REQUEST_HINT',
                                              'INCIDENT_HINT')),
  phrase        text NOT NULL CHECK (length(phrase) BETWEEN 1 AND 100),
  -- FoldForMatching(phrase): what matching and uniqueness use.
  folded_phrase text NOT NULL CHECK (folded_phrase <> ''),
  weight        integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 100),
  description   text NOT NULL DEFAULT '',
  active        boolean NOT NULL DEFAULT true,
  version       bigint NOT NULL DEFAULT 1,
  create_time   timestamptz NOT NULL DEFAULT clock_timestamp(),
  update_time   timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (kind, folded_phrase)
);

-- The starting rules, in Spanish and English. Administrators change them through the API.
INSERT INTO classification_rules (kind, phrase, folded_phrase, description) VALUES
  ('SECURITY', 'phishing', 'phishing', 'fraudulent message'),
  ('SECURITY', 'virus', 'virus', 'malicious software'),
  ('SECURITY', 'malware', 'malware', 'malicious software'),
  ('SECURITY', 'ransomware', 'ransomware', 'malicious software'),
  ('SECURITY', 'troyano', 'troyano', 'malicious software'),
  ('SECURITY', 'trojan', 'trojan', 'malicious software'),
  ('SECURITY', 'spyware', 'spyware', 'malicious software'),
  ('SECURITY', 'suplantación', 'suplantacion', 'impersonation'),
  ('SECURITY', 'suplantación de identidad', 'suplantacion de identidad', 'impersonation'),
  ('SECURITY', 'identity theft', 'identity theft', 'impersonation'),
  ('SECURITY', 'contraseña comprometida', 'contrasena comprometida', 'compromised credentials'),
  ('SECURITY', 'cuenta comprometida', 'cuenta comprometida', 'compromised credentials'),
  ('SECURITY', 'compromised password', 'compromised password', 'compromised credentials'),
  ('SECURITY', 'compromised account', 'compromised account', 'compromised credentials'),
  ('SECURITY', 'hackeo', 'hackeo', 'intrusion'),
  ('SECURITY', 'hackeado', 'hackeado', 'intrusion'),
  ('SECURITY', 'hackeada', 'hackeada', 'intrusion'),
  ('SECURITY', 'hackearon', 'hackearon', 'intrusion'),
  ('SECURITY', 'hacked', 'hacked', 'intrusion'),
  ('SECURITY', 'acceso no autorizado', 'acceso no autorizado', 'intrusion'),
  ('SECURITY', 'unauthorized access', 'unauthorized access', 'intrusion'),
  ('SECURITY', 'correo sospechoso', 'correo sospechoso', 'suspicious message'),
  ('SECURITY', 'correos sospechosos', 'correos sospechosos', 'suspicious message'),
  ('SECURITY', 'enlace sospechoso', 'enlace sospechoso', 'suspicious message'),
  ('SECURITY', 'suspicious email', 'suspicious email', 'suspicious message'),
  ('SECURITY', 'robo de información', 'robo de informacion', 'data theft'),
  ('SECURITY', 'robo de datos', 'robo de datos', 'data theft'),
  ('SECURITY', 'fuga de datos', 'fuga de datos', 'data leak'),
  ('SECURITY', 'fuga de información', 'fuga de informacion', 'data leak'),
  ('SECURITY', 'data breach', 'data breach', 'data leak'),
  ('SECURITY', 'data leak', 'data leak', 'data leak'),
  ('SECURITY', 'secuestro de datos', 'secuestro de datos', 'ransomware'),
  ('SERVICE_REQUEST_HINT', 'solicito', 'solicito', ''),
  ('SERVICE_REQUEST_HINT', 'solicitud de', 'solicitud de', ''),
  ('SERVICE_REQUEST_HINT', 'necesito crear', 'necesito crear', ''),
  ('SERVICE_REQUEST_HINT', 'crear usuario', 'crear usuario', ''),
  ('SERVICE_REQUEST_HINT', 'crear cuenta', 'crear cuenta', ''),
  ('SERVICE_REQUEST_HINT', 'creación de usuario', 'creacion de usuario', ''),
  ('SERVICE_REQUEST_HINT', 'nuevo usuario', 'nuevo usuario', ''),
  ('SERVICE_REQUEST_HINT', 'nueva cuenta', 'nueva cuenta', ''),
  ('SERVICE_REQUEST_HINT', 'instalar', 'instalar', ''),
  ('SERVICE_REQUEST_HINT', 'instalación', 'instalacion', ''),
  ('SERVICE_REQUEST_HINT', 'restablecer contraseña', 'restablecer contrasena', ''),
  ('SERVICE_REQUEST_HINT', 'cambio de contraseña', 'cambio de contrasena', ''),
  ('SERVICE_REQUEST_HINT', 'asignar permisos', 'asignar permisos', ''),
  ('SERVICE_REQUEST_HINT', 'habilitar acceso', 'habilitar acceso', ''),
  ('SERVICE_REQUEST_HINT', 'request', 'request', ''),
  ('SERVICE_REQUEST_HINT', 'please install', 'please install', ''),
  ('SERVICE_REQUEST_HINT', 'new user', 'new user', ''),
  ('SERVICE_REQUEST_HINT', 'new account', 'new account', ''),
  ('SERVICE_REQUEST_HINT', 'access request', 'access request', ''),
  ('SERVICE_REQUEST_HINT', 'password reset', 'password reset', ''),
  ('INCIDENT_HINT', 'no funciona', 'no funciona', ''),
  ('INCIDENT_HINT', 'no sirve', 'no sirve', ''),
  ('INCIDENT_HINT', 'no carga', 'no carga', ''),
  ('INCIDENT_HINT', 'no abre', 'no abre', ''),
  ('INCIDENT_HINT', 'no puedo ingresar', 'no puedo ingresar', ''),
  ('INCIDENT_HINT', 'no deja ingresar', 'no deja ingresar', ''),
  ('INCIDENT_HINT', 'error', 'error', ''),
  ('INCIDENT_HINT', 'falla', 'falla', ''),
  ('INCIDENT_HINT', 'fallo', 'fallo', ''),
  ('INCIDENT_HINT', 'caído', 'caido', ''),
  ('INCIDENT_HINT', 'caída', 'caida', ''),
  ('INCIDENT_HINT', 'bloqueado', 'bloqueado', ''),
  ('INCIDENT_HINT', 'lento', 'lento', ''),
  ('INCIDENT_HINT', 'not working', 'not working', ''),
  ('INCIDENT_HINT', 'doesn''t work', 'doesn t work', ''),
  ('INCIDENT_HINT', 'broken', 'broken', ''),
  ('INCIDENT_HINT', 'crash', 'crash', ''),
  ('INCIDENT_HINT', 'failure', 'failure', '');
