#include "gateway/messages.h"

#include <algorithm>
#include <unordered_map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tiquete::gateway {
namespace {

// Keep sorted by area; every reason a service or the gateway returns belongs here.
const std::vector<Translation> kTranslations = {
    // ---- Gateway: HTTP and JSON ----
    {"ROUTE_NOT_FOUND", "No existe ese recurso.", "There is no such resource."},
    {"METHOD_NOT_ALLOWED", "Ese método HTTP no está permitido en este recurso.",
     "This HTTP method is not allowed on this resource."},
    {"MALFORMED_REQUEST", "La solicitud HTTP está mal formada.", "The HTTP request is malformed."},
    {"MALFORMED_JSON", "El cuerpo de la solicitud no es un JSON válido para esta operación.",
     "The request body is not valid JSON for this operation."},
    {"UNKNOWN_FIELD", "La solicitud incluye un campo que no existe.",
     "The request includes a field that does not exist."},
    {"INVALID_FIELD_VALUE", "Un campo tiene un valor o un tipo no válido.",
     "A field has an invalid value or type."},
    {"MALFORMED_QUERY", "Los parámetros de la URL están mal formados.",
     "The URL query parameters are malformed."},
    {"UNKNOWN_QUERY_PARAMETER", "La URL incluye un parámetro que esta operación no acepta.",
     "The URL includes a parameter this operation does not accept."},
    {"REPEATED_QUERY_PARAMETER", "Un parámetro de la URL aparece más de una vez.",
     "A URL parameter appears more than once."},
    {"UNSUPPORTED_MEDIA_TYPE", "El cuerpo debe enviarse como JSON (application/json).",
     "The body must be sent as JSON (application/json)."},
    {"BODY_NOT_ALLOWED", "Esta operación no recibe cuerpo.", "This operation takes no body."},
    {"BODY_TOO_LARGE", "La solicitud es demasiado grande.", "The request is too large."},
    {"HEADERS_TOO_LARGE", "Los encabezados de la solicitud son demasiado grandes.",
     "The request headers are too large."},
    {"URI_TOO_LONG", "La URL es demasiado larga.", "The URL is too long."},
    {"RESPONSE_NOT_JSON", "La respuesta del servicio no se pudo convertir a JSON.",
     "The service's response could not be written as JSON."},
    {"INTERNAL_ERROR", "Ocurrió un error interno. Intente de nuevo.",
     "An internal error occurred. Please try again."},
    // ---- Gateway: sign-in, roles, limits ----
    {"NOT_SIGNED_IN", "Debe iniciar sesión para continuar.", "You must sign in to continue."},
    {"INVALID_API_TOKEN", "El token de API no es válido, venció o fue revocado.",
     "The API token is invalid, expired or revoked."},
    {"ROLE_REQUIRED", "Su rol no permite realizar esta operación.",
     "Your role does not allow this operation."},
    {"CSRF_TOKEN_INVALID", "Falta el token de seguridad (CSRF) o no es válido. Recargue la página.",
     "The security (CSRF) token is missing or invalid. Reload the page."},
    {"INVALID_CREDENTIALS", "El correo o la contraseña no son correctos.",
     "The email or password is incorrect."},
    {"TOO_MANY_LOGIN_ATTEMPTS",
     "Demasiados intentos fallidos de inicio de sesión. Espere unos minutos e intente de nuevo.",
     "Too many failed sign-in attempts. Wait a few minutes and try again."},
    {"RATE_LIMITED", "Demasiadas solicitudes. Espere un momento e intente de nuevo.",
     "Too many requests. Wait a moment and try again."},
    {"SERVICE_NOT_CONFIGURED", "Este servicio no está habilitado en esta instalación.",
     "This service is not enabled in this installation."},
    {"BACKEND_UNAVAILABLE", "El servicio no está disponible en este momento. Intente más tarde.",
     "The service is unavailable right now. Try again later."},
    {"BACKEND_TIMEOUT", "El servicio tardó demasiado en responder. Intente de nuevo.",
     "The service took too long to answer. Try again."},
    {"SESSION_STORE_UNAVAILABLE",
     "No se pudo verificar la sesión en este momento. Intente de nuevo.",
     "The session could not be checked right now. Try again."},
    // ---- Credentials (directory) ----
    {"PASSWORD_TOO_SHORT", "La contraseña debe tener al menos 10 caracteres.",
     "The password must have at least 10 characters."},
    {"PASSWORD_TOO_LONG", "La contraseña es demasiado larga (máximo 128 caracteres).",
     "The password is too long (at most 128 characters)."},
    {"PASSWORD_IS_EMAIL", "La contraseña no puede ser su correo electrónico ni parte de él.",
     "The password cannot be your email address or part of it."},
    {"PASSWORD_TOO_COMMON", "Esa contraseña es demasiado común. Elija otra.",
     "That password is too common. Choose another one."},
    {"WRONG_PASSWORD", "La contraseña actual no es correcta.",
     "The current password is incorrect."},
    {"NO_PASSWORD", "Esta cuenta no tiene contraseña local.",
     "This account has no local password."},
    {"PERSON_INACTIVE", "La persona está inactiva.", "The person is inactive."},
    {"TOKEN_REVOKED", "El token ya fue revocado.", "The token was already revoked."},
    {"INVALID_EXPIRE_TIME", "La fecha de vencimiento debe estar en el futuro.",
     "The expiry time must be in the future."},
    {"GATEWAY_ONLY", "Esta operación solo la puede invocar el gateway.",
     "Only the gateway may call this operation."},
    // ---- Every service: concurrency, idempotency, infrastructure ----
    {"RESOURCE_EXHAUSTED",
     "El servidor no tiene recursos suficientes en este momento. Intente de nuevo.",
     "The server is short of resources right now. Try again."},
    {"SESSION_CORRUPT", "Su sesión no se pudo leer. Inicie sesión de nuevo.",
     "Your session could not be read. Sign in again."},
    {"NOT_FOUND", "No se encontró el registro solicitado.", "The requested record was not found."},
    {"STALE_VERSION",
     "Alguien más modificó este registro. Recárguelo y vuelva a aplicar sus cambios.",
     "Someone else changed this record. Reload it and apply your changes again."},
    {"CONCURRENT_UPDATE", "Otro cambio simultáneo impidió guardar. Intente de nuevo.",
     "A concurrent change prevented saving. Try again."},
    {"IDEMPOTENCY_KEY_REUSED", "La clave de idempotencia ya se usó con una solicitud diferente.",
     "The idempotency key was already used with a different request."},
    {"IDEMPOTENCY_KEY_IN_USE", "Una solicitud con la misma clave de idempotencia está en curso.",
     "A request with the same idempotency key is in progress."},
    {"INVALID_IDEMPOTENCY_KEY", "La clave de idempotencia no es válida.",
     "The idempotency key is invalid."},
    {"INVALID_PAGE_TOKEN", "El token de página no es válido para esta consulta.",
     "The page token is not valid for this query."},
    {"INVALID_PAGE_SIZE", "El tamaño de página debe estar entre 1 y 500.",
     "The page size must be between 1 and 500."},
    {"DATABASE_UNAVAILABLE",
     "La base de datos no está disponible en este momento. Intente más tarde.",
     "The database is unavailable right now. Try again later."},
    {"DATABASE_POOL_EXHAUSTED", "El servicio está ocupado. Intente de nuevo en unos segundos.",
     "The service is busy. Try again in a few seconds."},
    {"DATABASE_ERROR", "Error de base de datos. Intente de nuevo.",
     "A database error occurred. Try again."},
    {"REDIS_UNAVAILABLE", "El servicio de eventos no está disponible en este momento.",
     "The event service is unavailable right now."},
    {"OUTCOME_UNKNOWN",
     "No se sabe si el cambio se guardó. Consulte el registro antes de reintentar.",
     "It is unknown whether the change was saved. Check the record before retrying."},
    {"REFERENCE_VIOLATION", "El registro hace referencia a otro que no existe.",
     "The record refers to another one that does not exist."},
    {"DUPLICATE", "Ya existe un registro con esos datos.",
     "A record with those values already exists."},
    {"SCHEMA_PERMISSION_DENIED", "Ocurrió un error interno de permisos. Intente de nuevo.",
     "An internal permission error occurred. Try again."},
    {"REDIS_ERROR", "El servicio de eventos respondió con un error. Intente de nuevo.",
     "The event service answered with an error. Try again."},
    {"CALLER_MISSING", "La llamada no identifica a quien la hace.",
     "The call does not identify its caller."},
    {"CALLER_SIGNATURE_INVALID", "La identidad de quien llama no es válida.",
     "The caller identity is not valid."},
    {"CALLER_EXPIRED", "La identidad de quien llama venció. Intente de nuevo.",
     "The caller identity expired. Try again."},
    {"CALLER_MALFORMED", "La identidad de quien llama está mal formada.",
     "The caller identity is malformed."},
    {"PERMISSION_DENIED", "No tiene permiso para esta operación.",
     "You do not have permission for this operation."},
    // ---- Field validation ----
    {"REQUIRED", "Falta un dato obligatorio.", "A required value is missing."},
    {"OUT_OF_RANGE", "Un valor está fuera del rango permitido.", "A value is out of range."},
    {"INVALID_RANGE", "El final del rango de fechas es anterior a su inicio.",
     "The end of the date range is before its start."},
    {"EMPTY_RANGE", "El rango de fechas está vacío: el final debe ser posterior al inicio.",
     "The date range is empty: its end must be after its start."},
    {"CONFLICTING_FILTERS", "Dos filtros de la consulta se contradicen.",
     "Two filters of the query contradict each other."},
    {"INVALID_YEAR", "El año no es válido.", "The year is not valid."},
    {"INVALID_MINUTES", "La cantidad de minutos no es válida.",
     "The number of minutes is not valid."},
    {"UNKNOWN_STATUS", "Ese estado no existe.", "There is no such status."},
    {"INVALID_REPORT_TABLE", "Indique cuál tabla del informe desea exportar.",
     "Name the report table to export."},
    {"INVALID_VALUE", "Un campo tiene un valor no permitido.", "A field has a value not allowed."},
    {"INVALID_TEXT", "Un texto está vacío o contiene caracteres no permitidos.",
     "A text is empty or contains characters that are not allowed."},
    {"TOO_LONG", "Un campo supera la longitud máxima.", "A field exceeds its maximum length."},
    {"INVALID_ID", "El identificador no es válido.", "The identifier is not valid."},
    {"INVALID_CODE", "El código no es válido (mayúsculas, dígitos, '.', '_' o '-').",
     "The code is not valid (capital letters, digits, '.', '_' or '-')."},
    {"INVALID_NAME", "El nombre no es válido.", "The name is not valid."},
    {"INVALID_EMAIL", "El correo electrónico no es válido.", "The email address is not valid."},
    {"INVALID_PHONE", "El teléfono no es un número colombiano válido.",
     "The phone is not a valid Colombian number."},
    {"INVALID_NATIONAL_ID", "El número de documento no es válido.",
     "The national ID number is not valid."},
    {"INVALID_DANE_CODE", "El código DANE debe tener 12 dígitos.",
     "The DANE code must have 12 digits."},
    {"INVALID_PATH", "La ruta de categorías no es válida.", "The category path is not valid."},
    {"INVALID_PARENT", "El elemento padre no es válido.", "The parent is not valid."},
    {"INVALID_CHILDREN", "Los elementos hijos no son válidos para este tipo.",
     "The children are not valid for this kind."},
    {"UNKNOWN_ROLE", "El rol no existe.", "The role does not exist."},
    {"ONE_KEY_REQUIRED", "Indique exactamente uno de los criterios de búsqueda.",
     "Give exactly one of the lookup keys."},
    // ---- Directory ----
    {"EMAIL_TAKEN", "Ya existe una persona con ese correo electrónico.",
     "A person with that email address already exists."},
    {"NATIONAL_ID_TAKEN", "Ya existe una persona con ese número de documento.",
     "A person with that national ID already exists."},
    {"CODE_TAKEN", "Ya existe un registro con ese código.", "A record with that code exists."},
    {"NAME_TAKEN", "Ya existe un registro con ese nombre en el mismo nivel.",
     "A record with that name already exists at the same level."},
    {"DANE_CODE_TAKEN", "Ya existe una sede con ese código DANE.",
     "A school or campus with that DANE code already exists."},
    {"GROUP_INACTIVE", "El grupo está inactivo.", "The group is inactive."},
    {"PARENT_INACTIVE", "El elemento padre está inactivo.", "The parent is inactive."},
    {"ORG_UNIT_INACTIVE", "La dependencia está inactiva.", "The organisational unit is inactive."},
    {"SERVICE_INACTIVE", "El servicio de TI está inactivo.", "The IT service is inactive."},
    {"ORG_UNIT_CYCLE", "Una dependencia no puede quedar dentro de sí misma.",
     "An organisational unit cannot be placed under itself."},
    {"CATEGORY_CYCLE", "Una categoría no puede quedar dentro de sí misma.",
     "A category cannot be placed under itself."},
    {"HAS_ACTIVE_CHILDREN", "Primero desactive los elementos que dependen de este.",
     "Deactivate the records that depend on this one first."},
    {"HAS_ACTIVE_PEOPLE", "La dependencia todavía tiene personas activas.",
     "The organisational unit still has active people."},
    {"ALREADY_MEMBER", "La persona ya pertenece al grupo.", "The person already is a member."},
    {"NOT_A_MEMBER", "La persona no pertenece al grupo.", "The person is not a member."},
    {"SELF_RELATION", "Un elemento de configuración no puede relacionarse consigo mismo.",
     "A configuration item cannot be related to itself."},
    {"RELATION_EXISTS", "La relación ya existe.", "The relation already exists."},
    {"RELATION_NOT_FOUND", "La relación no existe.", "The relation does not exist."},
    {"MALFORMED_CSV", "El archivo CSV está mal formado.", "The CSV file is malformed."},
    {"WRONG_HEADER", "El encabezado del CSV no es el esperado.",
     "The CSV header is not the expected one."},
    {"WRONG_FIELD_COUNT", "Una fila del CSV no tiene el número de columnas esperado.",
     "A CSV row does not have the expected number of columns."},
    {"DUPLICATE_IN_FILE", "El archivo repite un registro.", "The file repeats a record."},
    {"DEFINED_LATER", "Un registro se refiere a otro que aparece más adelante en el archivo.",
     "A record refers to another one that appears later in the file."},
    // ---- Tickets (incident, intake, sla, ...) ----
    {"ILLEGAL_TRANSITION", "El caso no puede pasar a ese estado desde su estado actual.",
     "The ticket cannot move to that state from its current state."},
    {"ATTACHMENT_TOO_LARGE", "El adjunto supera el tamaño máximo permitido.",
     "The attachment exceeds the maximum size allowed."},
    {"TOO_LARGE", "El contenido supera el tamaño máximo permitido.",
     "The content exceeds the maximum size allowed."},
    {"TOO_MANY", "Se superó la cantidad máxima permitida.", "The maximum number was exceeded."},
    {"INVALID_FILENAME", "El nombre del archivo no es válido.", "The file name is not valid."},
    {"DIGEST_MISMATCH", "El archivo no coincide con su huella digital (SHA-256).",
     "The file does not match its digest (SHA-256)."},
    {"SHA256_MISMATCH", "El archivo no coincide con su huella digital (SHA-256).",
     "The file does not match its digest (SHA-256)."},
    {"JUSTIFICATION_REQUIRED", "Debe registrar una justificación para este cambio.",
     "You must record a justification for this change."},
    {"REOPEN_WINDOW_EXPIRED", "Ya pasó el plazo para reabrir este caso.",
     "The window to reopen this ticket has passed."},
    {"NOT_RESOLVED", "El caso todavía no está resuelto.", "The ticket is not resolved yet."},
    {"NOT_EDITABLE", "El caso ya no se puede modificar en su estado actual.",
     "The ticket can no longer be changed in its current state."},
    {"INVALID_CLOSURE", "Los datos de cierre no son válidos.", "The closure data is not valid."},
    // The SLA engine's agreements and calendars (docs/sla.md lists the reasons).
    {"UNKNOWN_TIME_ZONE", "La zona horaria no existe.", "The time zone does not exist."},
    {"INVALID_SHIFT",
     "Un turno no es válido: debe empezar y terminar entre 00:00 y 24:00, y terminar después de "
     "empezar.",
     "A shift is not valid: it must start and end between 00:00 and 24:00, and end after it "
     "starts."},
    {"OVERLAPPING_SHIFTS", "Dos turnos del mismo día se cruzan.",
     "Two shifts of the same day overlap."},
    {"NO_OFFICE_HOURS", "El calendario no tiene ninguna hora hábil en la semana.",
     "The calendar has no business hours in the week."},
    {"INVALID_WEEKDAY", "El día de la semana no es válido.", "The weekday is not valid."},
    {"INVALID_KIND", "El tipo de acuerdo no es válido (ANS, OLA o contrato de soporte).",
     "The agreement kind is not valid (SLA, OLA or underpinning contract)."},
    {"TARGETS_REQUIRED", "El acuerdo necesita metas para las cinco prioridades.",
     "The agreement needs targets for all five priorities."},
    {"INVALID_TARGET", "Las metas son minutos hábiles mayores que cero.",
     "Targets are business minutes greater than zero."},
    {"RESPONSE_AFTER_RESOLUTION",
     "La meta de primera respuesta no puede ser mayor que la de solución.",
     "The first-response target cannot be longer than the resolution target."},
    {"TARGET_TOO_LONG", "La meta es demasiado larga.", "The target is too long."},
    {"INVALID_THRESHOLD", "Los umbrales de alerta van de 1 a 99 %, de menor a mayor.",
     "Warning thresholds go from 1 to 99 %, in ascending order."},
    {"INVALID_PAUSE_CONDITION", "La condición de pausa no es válida.",
     "The pause condition is not valid."},
    {"UNKNOWN_THRESHOLD", "La regla de escalamiento usa un umbral que el acuerdo no tiene.",
     "The escalation rule uses a threshold the agreement does not have."},
    {"INVALID_CLOCK_SCOPE",
     "La regla de escalamiento aplica a la respuesta, a la solución o a ambas.",
     "The escalation rule applies to the response, the resolution or both."},
    {"INVALID_ACTION", "La acción de escalamiento no es válida.",
     "The escalation action is not valid."},
    {"INVALID_ESCALATION_STEP", "Un paso de la ruta de escalamiento no es válido.",
     "A step of the escalation path is not valid."},
    {"INVALID_PRIORITY", "La prioridad no es válida (P1 a P5).",
     "The priority is not valid (P1 to P5)."},
    {"INVALID_LEVEL", "El nivel no es válido.", "The level is not valid."},
    {"INVALID_RATING", "La calificación debe estar entre 1 y 5.",
     "The rating must be between 1 and 5."},
    {"SURVEY_ALREADY_SUBMITTED", "La encuesta de satisfacción ya fue respondida.",
     "The satisfaction survey was already answered."},
    {"ASSIGNEE_NOT_IN_GROUP", "La persona asignada no pertenece al grupo resolutor.",
     "The assignee is not a member of the assignment group."},
    {"ASSIGNMENT_NOT_ALLOWED", "No puede asignar este caso.", "You cannot assign this ticket."},
    {"NO_ASSIGNEE", "El caso no tiene una persona asignada.", "The ticket has no assignee."},
    {"SAME_GROUP", "El caso ya está en ese grupo.", "The ticket is already in that group."},
    {"ESCALATION_DOWNWARD", "Un escalamiento funcional debe ir a un nivel superior.",
     "A functional escalation must go to a higher level."},
    {"NOT_MAJOR", "El caso no está marcado como incidente mayor.",
     "The ticket is not flagged as a major incident."},
    {"MAJOR_INCIDENT_ROLE_REQUIRED", "Solo la coordinación puede gestionar incidentes mayores.",
     "Only the coordination can manage major incidents."},
    {"LINK_CYCLE", "Ese vínculo crearía un ciclo entre casos.",
     "That link would create a cycle between tickets."},
    {"SELF_LINK", "Un caso no puede vincularse consigo mismo.",
     "A ticket cannot be linked to itself."},
    {"INTERNAL_NOTE_NOT_ALLOWED", "Su rol no permite notas internas.",
     "Your role does not allow internal notes."},
    {"HANDOFF_IN_PROGRESS", "El mensaje se está entregando al servicio responsable.",
     "The message is being handed over to the owning service."},
    {"CHANNEL_NOT_ALLOWED", "Ese canal no está permitido para esta operación.",
     "That channel is not allowed for this operation."},
    {"UNKNOWN_CHANNEL", "El canal no existe.", "The channel does not exist."},
    {"INVALID_DATE", "La fecha no es válida.", "The date is not valid."},
    {"INVALID_TIME", "La hora no es válida.", "The time is not valid."},
    {"INVALID_DATE_RANGE", "El rango de fechas no es válido.", "The date range is not valid."},
    {"DATE_RANGE_TOO_LONG", "El rango de fechas es demasiado largo.",
     "The date range is too long."},
    {"DUPLICATE_NAME", "Ya existe un registro con ese nombre.", "A record with that name exists."},
    {"INVALID_PROBLEM_ID", "La referencia al problema no es válida.",
     "The problem reference is not valid."},
    {"COMMUNICATION_IS_PUBLIC",
     "Una comunicación al solicitante es siempre pública; no puede ser una nota interna.",
     "A communication to the requester is always public; it cannot be an internal note."},
    {"NOT_A_COORDINATOR", "La persona indicada no tiene el rol de coordinación.",
     "The person named does not have the coordinator role."},
    {"NOT_A_DUPLICATE", "Ese mensaje no quedó como duplicado de un caso.",
     "That message was not recorded as a duplicate of a case."},
    {"SPLIT_IN_PROGRESS", "Ya se está separando ese mensaje en un caso propio.",
     "That message is already being split into a case of its own."},
    {"HANDOFF_PENDING",
     "El mensaje aún se está entregando a la mesa. Intente de nuevo en un momento.",
     "The message is still being handed to the desk. Try again in a moment."},
    {"HANDOFF_NOT_RECORDED", "No se pudo registrar la entrega del mensaje. Intente de nuevo.",
     "The message's handoff could not be recorded. Try again."},
    {"TOO_MANY_RULES", "Se alcanzó el número máximo de reglas de clasificación.",
     "The maximum number of classification rules has been reached."},
    {"UNKNOWN_RULE_KIND", "Ese tipo de regla de clasificación no existe.",
     "There is no such kind of classification rule."},
    {"UNKNOWN_CALENDAR", "Ese calendario no existe.", "There is no such calendar."},
    {"CALENDAR_UNUSABLE", "El calendario del reloj no se puede cargar. Revise su configuración.",
     "The clock's calendar cannot be loaded. Check its settings."},
    // ---- Who may do what (services' own row-level rules) ----
    {"FORBIDDEN", "Su rol no permite ver o cambiar esto.",
     "Your role does not allow you to see or change this."},
    {"REQUESTER_MISMATCH", "Solo puede registrar casos a su propio nombre.",
     "You can only register cases in your own name."},
    {"NO_PERSON", "Esta consulta necesita una persona que haya iniciado sesión.",
     "This query needs a signed-in person."},
    {"STAFF_ONLY", "Solo el personal de la mesa puede hacer esto.",
     "Only service desk staff can do this."},
    {"DESK_ONLY", "Solo la mesa de servicios puede hacer esto.",
     "Only the service desk can do this."},
    {"SUPPORT_ONLY", "Solo el personal de soporte puede hacer esto.",
     "Only support staff can do this."},
    {"REQUESTER_ONLY", "Solo quien reportó el caso puede hacer esto.",
     "Only the ticket's requester can do this."},
    {"REQUESTER_OR_DESK_ONLY", "Solo quien reportó el caso o la mesa pueden hacer esto.",
     "Only the requester or the service desk can do this."},
    {"SECURITY_OFFICER_ONLY", "Solo el oficial de seguridad de la información puede hacer esto.",
     "Only the information security officer can do this."},
    {"ADMIN_ONLY", "Solo un administrador puede hacer esto.", "Only an admin can do this."},
    {"NOT_ALLOWED", "Esta operación no está permitida.", "This operation is not allowed."},
    {"PERSON_REQUIRED", "Esta operación la debe hacer una persona, no un sistema.",
     "A person, not a system, must do this."},
    {"REPORTS_FORBIDDEN", "Su rol no permite ver reportes.", "Your role cannot see reports."},
    // ---- References to the directory ----
    {"DIRECTORY_UNAVAILABLE", "El directorio no está disponible en este momento.",
     "The directory is unavailable right now."},
    {"UNKNOWN_PERSON", "La persona no existe en el directorio.",
     "The person does not exist in the directory."},
    {"UNKNOWN_GROUP", "El grupo no existe en el directorio.",
     "The group does not exist in the directory."},
    {"UNKNOWN_CATEGORY", "La categoría no existe.", "The category does not exist."},
    {"UNKNOWN_INCIDENT", "El incidente no existe.", "The incident does not exist."},
    {"INACTIVE_PERSON", "La persona está inactiva.", "The person is inactive."},
    {"INACTIVE_ASSIGNEE", "La persona asignada está inactiva.", "The assignee is inactive."},
    {"INACTIVE_GROUP", "El grupo está inactivo.", "The group is inactive."},
    {"INACTIVE_CATEGORY", "La categoría está inactiva.", "The category is inactive."},
    {"CATEGORY_INACTIVE", "La categoría está inactiva.", "The category is inactive."},
    {"INACTIVE_SERVICE", "El servicio de TI está inactivo.", "The IT service is inactive."},
    {"INACTIVE_CI", "El elemento de configuración está inactivo.",
     "The configuration item is inactive."},
};

struct Generic {
  std::string_view es;
  std::string_view en;
};

Generic GenericFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return {"La solicitud no es válida", "The request is not valid"};
    case grpc::StatusCode::UNAUTHENTICATED:
      return {"No se pudo verificar su identidad", "Your identity could not be verified"};
    case grpc::StatusCode::PERMISSION_DENIED:
      return {"No tiene permiso para esta operación", "You do not have permission for this"};
    case grpc::StatusCode::NOT_FOUND:
      return {"No se encontró lo solicitado", "What you asked for was not found"};
    case grpc::StatusCode::ALREADY_EXISTS:
      return {"El registro ya existe", "The record already exists"};
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return {"La operación no es posible en el estado actual",
              "The operation is not possible in the current state"};
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return {"Se superó un límite", "A limit was exceeded"};
    case grpc::StatusCode::UNAVAILABLE:
      return {"El servicio no está disponible en este momento", "The service is unavailable"};
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return {"El servicio tardó demasiado en responder", "The service took too long to answer"};
    default:
      return {"Ocurrió un error inesperado", "An unexpected error occurred"};
  }
}

}  // namespace

Language PickLanguage(std::string_view accept_language) {
  double es = -1, en = -1;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(accept_language.data(), accept_language.size()), ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    std::string tag = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    double q = 1.0;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view p = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&p, "q=") && !absl::SimpleAtod(p, &q)) q = 0;
    }
    const std::string primary = tag.substr(0, tag.find('-'));
    if (primary == "es") es = std::max(es, q);
    if (primary == "en") en = std::max(en, q);
  }
  return en > 0 && en > es ? Language::kEn : Language::kEs;
}

const std::vector<Translation>& AllTranslations() { return kTranslations; }

const Translation* FindTranslation(std::string_view reason) {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const Translation*>();
    for (const auto& t : kTranslations) m->emplace(t.reason, &t);
    return m;
  }();
  auto it = index->find(reason);
  return it == index->end() ? nullptr : it->second;
}

bool ShowsServiceDetail(std::string_view reason) {
  // Domain and validation reasons whose service message is written for the caller and says
  // more than the fixed text (which transitions, which limit, which line of a file). Never
  // infrastructure reasons: their messages carry database rows, hosts and constraint names.
  // clang-format off
  static const absl::flat_hash_set<std::string_view> kReasons = {
      "ILLEGAL_TRANSITION", "STALE_VERSION", "ATTACHMENT_TOO_LARGE", "TOO_LARGE", "TOO_MANY",
      "TOO_LONG", "JUSTIFICATION_REQUIRED", "REOPEN_WINDOW_EXPIRED", "NOT_RESOLVED",
      "NOT_EDITABLE", "INVALID_CLOSURE", "INVALID_PRIORITY", "INVALID_LEVEL", "INVALID_RATING",
      "ASSIGNEE_NOT_IN_GROUP", "ASSIGNMENT_NOT_ALLOWED", "NO_ASSIGNEE", "SAME_GROUP",
      "ESCALATION_DOWNWARD", "LINK_CYCLE", "SELF_LINK", "INVALID_VALUE", "INVALID_TEXT",
      "INVALID_DATE", "INVALID_TIME", "INVALID_DATE_RANGE", "DATE_RANGE_TOO_LONG",
      "MALFORMED_JSON", "UNKNOWN_FIELD", "INVALID_FIELD_VALUE", "UNKNOWN_QUERY_PARAMETER",
      "MALFORMED_QUERY", "INVALID_PAGE_SIZE", "PASSWORD_TOO_SHORT", "PASSWORD_TOO_LONG",
      "INVALID_EXPIRE_TIME", "MALFORMED_CSV", "WRONG_HEADER", "WRONG_FIELD_COUNT",
      "DUPLICATE_IN_FILE", "DEFINED_LATER", "HAS_ACTIVE_CHILDREN", "HAS_ACTIVE_PEOPLE",
      "ORG_UNIT_CYCLE", "CATEGORY_CYCLE", "INVALID_PATH", "INVALID_PARENT", "REQUIRED",
      "OUT_OF_RANGE", "INVALID_RANGE", "EMPTY_RANGE", "CONFLICTING_FILTERS", "INVALID_YEAR",
      "INVALID_MINUTES", "UNKNOWN_STATUS", "INVALID_PROBLEM_ID", "TOO_MANY_RULES",
      "UNKNOWN_RULE_KIND", "UNKNOWN_CALENDAR"};
  // clang-format on
  return kReasons.contains(reason);
}

std::string LocalizedMessage(std::string_view reason, grpc::StatusCode code,
                             std::string_view service_message, Language language) {
  if (const Translation* t = FindTranslation(reason)) {
    return std::string(language == Language::kEs ? t->es : t->en);
  }
  const Generic g = GenericFor(code);
  const std::string_view head = language == Language::kEs ? g.es : g.en;
  // A reason without a translation: the service's words follow the generic sentence, unless
  // the failure is the server's own (its text is for the logs, which have it with the
  // request id).
  const bool callers_fault =
      code == grpc::StatusCode::INVALID_ARGUMENT || code == grpc::StatusCode::OUT_OF_RANGE ||
      code == grpc::StatusCode::FAILED_PRECONDITION || code == grpc::StatusCode::ABORTED ||
      code == grpc::StatusCode::RESOURCE_EXHAUSTED;
  if (service_message.empty() || !callers_fault) return absl::StrCat(std::string(head), ".");
  return absl::StrCat(std::string(head), ": ", std::string(service_message));
}

}  // namespace tiquete::gateway
