-- Seeds incidents first..last directly into the incident schema with realistic shapes for a
-- departmental education secretariat: 20 support groups (L1 busiest), ~14% of incidents open,
-- impact × urgency skewed to medium/low, Spanish titles from 30 problems × 20 places, 6,000
-- requesters, open incidents from the last 30 days and closed ones over three years.
-- Run by bench/incident_queue_bench with $1 = first and $2 = last sequence number.
WITH base AS (
  SELECT g,
         random() AS r_state, random() AS r_group, random() AS r_impact, random() AS r_urgency,
         random() AS r_age, random() AS r_title, random() AS r_place, random() AS r_type,
         random() AS r_channel, random() AS r_security, (random() * 5999)::int AS requester_n,
         (random() * 24)::int AS category_n, random() AS r_work
  FROM generate_series($1::bigint, $2::bigint) AS g
), shaped AS (
  SELECT b.*,
         CASE WHEN r_state < 0.78 THEN 'closed' WHEN r_state < 0.82 THEN 'resolved'
              WHEN r_state < 0.85 THEN 'cancelled' WHEN r_state < 0.86 THEN 'new'
              WHEN r_state < 0.90 THEN 'assigned' WHEN r_state < 0.96 THEN 'in_progress'
              ELSE 'pending' END AS state,
         least(floor(power(r_group, 1.6) * 20)::int, 19) AS group_n,
         CASE WHEN r_impact < 0.15 THEN 1 WHEN r_impact < 0.60 THEN 2 ELSE 3 END AS impact,
         CASE WHEN r_urgency < 0.20 THEN 1 WHEN r_urgency < 0.70 THEN 2 ELSE 3 END AS urgency,
         (ARRAY['La impresora no imprime', 'No puedo ingresar al SIMAT',
                'Olvidé mi contraseña del correo', 'Sin conexión a internet',
                'El proyector no enciende', 'El computador está muy lento',
                'Pantalla azul al iniciar Windows', 'El teclado no responde',
                'No llegan los correos institucionales', 'Error al cargar notas en el SIMAT',
                'Solicitud de instalación de software', 'La red wifi no aparece',
                'El escáner no digitaliza', 'Cuenta bloqueada en el dominio',
                'No funciona el sonido del aula', 'La fotocopiadora atasca papel',
                'El portátil no carga la batería', 'Virus detectado por el antivirus',
                'No abre el sistema de matrícula', 'Falla eléctrica en la sala de sistemas',
                'El tablero digital no calibra', 'Se perdió el acceso a la carpeta compartida',
                'Correo sospechoso solicitando la clave', 'No imprime a color',
                'La cámara de videoconferencia no detecta', 'Actualización de Windows fallida',
                'El servidor de archivos no responde', 'Licencia de Office vencida',
                'El mouse inalámbrico no conecta', 'Reinicio constante del equipo'
               ])[1 + floor(r_title * 30)::int] AS problem,
         (ARRAY['IE San Simón', 'IE Técnica Ambientalista', 'Sede Rural La Esperanza',
                'Secretaría - Talento Humano', 'Secretaría - Cobertura', 'IE Normal Superior',
                'IE Francisco de Paula Santander', 'Sede El Salado', 'Sede Picaleña',
                'IE Agropecuaria del Líbano', 'Secretaría - Calidad', 'IE Jorge Eliécer Gaitán',
                'Sede Chaparral Centro', 'IE Guillermo Angulo', 'Sede Rovira',
                'Secretaría - Jurídica', 'IE Santa Teresa de Jesús', 'Sede Honda',
                'IE Manuel Murillo Toro', 'Sede Mariquita'
               ])[1 + floor(r_place * 20)::int] AS place
  FROM base b
), timed AS (
  SELECT s.*,
         now() - CASE WHEN state IN ('new', 'assigned', 'in_progress', 'pending')
                      THEN r_age * interval '30 days' ELSE r_age * interval '1095 days' END
           AS created,
         r_work * interval '72 hours' AS work
  FROM shaped s
)
INSERT INTO incidents (number, type, state, title, description, requester_id, channel,
                       category_id, impact, urgency, priority, matrix_priority, pending_reason,
                       level, group_id, assignee_id, possible_security, security_reason,
                       resolution_code, resolved_level, closure_code, cancel_reason, created_at,
                       first_response_at, resolved_at, closed_at, updated_at, version)
SELECT CASE WHEN r_type < 0.15 THEN 'REQ-' ELSE 'INC-' END || to_char(created, 'YYYY') || '-' ||
         lpad(g::text, 7, '0'),
       CASE WHEN r_type < 0.15 THEN 'service_request' ELSE 'incident' END,
       state,
       problem || ' - ' || place,
       'El usuario reporta: ' || lower(problem) || '. Ubicación: ' || place ||
         '. Equipo EQ-' || (g % 5000) || '. Ocurre desde ' ||
         (ARRAY['esta mañana', 'ayer', 'la semana pasada', 'el lunes', 'hace dos días'])[1 + (g % 5)::int] || '.',
       ('a0000000-0000-4000-8000-' || lpad(requester_n::text, 12, '0'))::uuid,
       CASE WHEN r_channel < 0.60 THEN 'portal' WHEN r_channel < 0.80 THEN 'email'
            WHEN r_channel < 0.90 THEN 'phone' WHEN r_channel < 0.95 THEN 'monitoring'
            ELSE 'walk_in' END,
       ('c0000000-0000-4000-8000-' || lpad(category_n::text, 12, '0'))::uuid,
       impact, urgency, impact + urgency - 1, impact + urgency - 1,
       CASE WHEN state = 'pending' THEN (ARRAY['requester', 'provider', 'change'])[1 + (g % 3)::int] END,
       CASE WHEN state = 'new' THEN NULL WHEN group_n < 10 THEN 1 WHEN group_n < 16 THEN 2 ELSE 3 END,
       CASE WHEN state = 'new' THEN NULL
            ELSE ('b0000000-0000-4000-8000-' || lpad(group_n::text, 12, '0'))::uuid END,
       CASE WHEN state = 'new' OR (state = 'assigned' AND g % 2 = 0) THEN NULL
            ELSE ('a1000000-0000-4000-8000-' || lpad((group_n * 10 + g % 5)::text, 12, '0'))::uuid END,
       r_security < 0.005,
       CASE WHEN r_security < 0.005 THEN 'reported as possible security' ELSE '' END,
       CASE WHEN state IN ('resolved', 'closed') THEN 'fixed' ELSE '' END,
       CASE WHEN state IN ('resolved', 'closed')
            THEN CASE WHEN group_n < 10 THEN 1 WHEN group_n < 16 THEN 2 ELSE 3 END END,
       CASE WHEN state = 'closed' THEN 'confirmed' ELSE '' END,
       CASE WHEN state = 'cancelled' THEN 'duplicado' ELSE '' END,
       created,
       CASE WHEN state NOT IN ('new', 'assigned') THEN created + work / 8 END,
       CASE WHEN state IN ('resolved', 'closed') THEN created + work END,
       CASE WHEN state = 'closed' THEN created + work + interval '2 days'
            WHEN state = 'cancelled' THEN created + work END,
       CASE WHEN state = 'closed' THEN created + work + interval '2 days'
            WHEN state IN ('resolved', 'cancelled') THEN created + work
            ELSE created + work / 16 END,
       3
FROM timed;
