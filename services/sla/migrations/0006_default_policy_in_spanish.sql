-- The seeded policy's description was the only English text a desk member saw on the service
-- agreements page (the UI is Spanish first; its name was already "SLA estándar"). Replaced only
-- while nobody has edited it: a description a coordinator wrote is theirs.
UPDATE policies
SET description = 'Nivel de servicio por defecto para todo caso sin un acuerdo más específico',
    version = version + 1, updated_at = clock_timestamp()
WHERE id = '00000000-0000-4000-8000-000000000101'
  AND description = 'Default service level for every ticket without a more specific agreement';
UPDATE agreement_revision SET revision = revision + 1;
