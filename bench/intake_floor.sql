-- The database floor of creating a case (bench/intake_create.sh, "floor"): the rows one case
-- submitted through intake writes in the intake and incident schemas, in their real tables
-- with their real indexes, constraints and triggers, for :batch cases per transaction, each
-- table written once per transaction by one set-based statement. Per case:
--
--   intake:   idempotency claim; archived message (raw bytes, folded texts); its "archived"
--             event; the decision and hand-over recorded (one update); the link to the
--             incident; its "handed off" event; the idempotency result;
--   incident: idempotency claim; a number from a sequence; the incident row (17 indexes, the
--             Spanish tsvector computed); 15 audit rows (every initial value); its "created"
--             event; the idempotency result.
--
-- Left out, so this is an optimistic bound on what any batching of the services could reach:
-- the duplicate lookup (a trigram similarity query), the directory reads, the outbox relay's
-- publishing of the three events, every gRPC hop and the services' own CPU.
--
-- Variables (pgbench -D): batch, the cases per transaction; run, digits unique to the run.
\set r random(1, 9000000000000000000)
BEGIN;
WITH m AS (
  INSERT INTO intake.messages (id, channel, requester_id, submitted_by, caller, subject, body,
                               impact, urgency, external_ref, raw, normalized_text, dedup_text,
                               received_at, lease_until)
  SELECT md5(:run || '-' || :client_id || '-' || :r || '-' || r.g)::uuid, 'PORTAL',
         r.requester, r.requester, convert_to(r.requester || ' requester', 'UTF8'), r.subject,
         r.body, 'MEDIUM', 'LOW', 'floor-' || :client_id || '-' || :r,
         convert_to(r.subject || r.body || repeat(' ', 200), 'UTF8'),
         lower(r.subject || ' ' || r.body), lower(r.subject), now(),
         now() + interval '30 seconds'
  FROM (SELECT g, 'a0000000-0000-4000-8000-' || lpad((:r % 2000 + g)::text, 12, '0') AS requester,
               'La impresora del aula ' || g || ' no imprime ' || :r AS subject,
               'Buenos días, desde esta mañana la impresora de la sala de profesores número ' || g
               || ' no responde y muestra un error de papel atascado. Quedo atento, gracias.' AS body
        FROM generate_series(1, :batch) g) r
  RETURNING id
), k AS (
  INSERT INTO intake.idempotency_keys (scope, key, fingerprint)
  SELECT 'submit:floor', m.id::text, md5(m.id::text) FROM m
), e AS (
  INSERT INTO intake.outbox (type, aggregate_type, aggregate_id, payload)
  SELECT 'intake.message.archived', 'message', m.id::text,
         convert_to(repeat(m.id::text, 8), 'UTF8')
  FROM m
)
SELECT count(*) FROM m;
WITH n AS (
  SELECT g, 'FLR-2026-' || lpad(nextval('incident.floor_numbers')::text, 9, '0') AS number
  FROM generate_series(1, :batch) g
), k AS (
  INSERT INTO incident.idempotency_keys (scope, key, fingerprint, resource_id)
  SELECT 'create:floor', n.number, md5(n.number), n.number FROM n
), ins AS (
  INSERT INTO incident.incidents (number, type, state, title, description, requester_id, channel,
                                  category_id, impact, urgency, priority, matrix_priority, level,
                                  group_id, intake_message_id, created_at, updated_at)
  SELECT n.number, 'incident', 'assigned', 'La impresora del aula ' || n.g || ' no imprime ' || :r,
         'Buenos días, desde esta mañana la impresora de la sala de profesores número ' || n.g
         || ' no responde y muestra un error de papel atascado. Quedo atento, gracias.',
         gen_random_uuid(), 'portal', gen_random_uuid(), 2, 3, 3, 3, 1, gen_random_uuid(),
         n.number, now(), now()
  FROM n
  RETURNING id, number
), aud AS (
  INSERT INTO incident.audit_trail (incident_id, number, actor_id, at, field, old_value, new_value,
                                    reason)
  SELECT ins.id, ins.number, 'intake', now(), 'field_' || f, '',
         'value ' || f || ' of ' || ins.number, 'created from the portal'
  FROM ins, generate_series(1, 15) f
)
INSERT INTO incident.outbox (type, aggregate_type, aggregate_id, payload)
SELECT 'incident.incident.created', 'incident', ins.number,
       convert_to(repeat(ins.number, 40), 'UTF8')
FROM ins;
WITH m AS (
  UPDATE intake.messages SET ticket_type = 'INCIDENT', classification_reason = 'category',
         plan = 'CREATE', status = 'HANDED_OFF', incident_number = 'FLR-' || id::text,
         handed_off_at = now(), lease_until = NULL
  WHERE id IN (SELECT md5(:run || '-' || :client_id || '-' || :r || '-' || g)::uuid
               FROM generate_series(1, :batch) g)
  RETURNING id, incident_number
), l AS (
  INSERT INTO intake.message_links (message_id, kind, incident_number, linked_at)
  SELECT m.id, 'CREATED_INCIDENT', m.incident_number, now() FROM m
), k AS (
  UPDATE intake.idempotency_keys SET resource_id = m.id::text
  FROM m WHERE scope = 'submit:floor' AND key = m.id::text
)
INSERT INTO intake.outbox (type, aggregate_type, aggregate_id, payload)
SELECT 'intake.message.handed_off', 'message', m.id::text,
       convert_to(repeat(m.id::text, 8), 'UTF8')
FROM m;
COMMIT;
