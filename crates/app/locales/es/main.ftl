# Haven: mensajes en español. Cada id de en/main.ftl debe existir aquí (una prueba lo comprueba).
# Los textos de crisis siguen las pautas de comunicación segura: esperanza, pasos concretos, sin detalles de métodos.

## Marco de la página
skip-to-content = Saltar al contenido principal
crisis-link = ¿Necesita ayuda ahora?
nav-label = Principal
nav-home = Mi Haven
signed-in-as = Sesión iniciada como { $name }
sign-in = Iniciar sesión
sign-out = Cerrar sesión
language-switch-label = Idioma
footer-emergency = En una emergencia, llame al { $number }.
footer-line = { $name }:
footer-more-help = Más formas de obtener ayuda ahora

## Página de crisis
crisis-title = ¿Necesita ayuda ahora?
crisis-intro = No está solo y no tiene que esperar a su próxima cita. Hay ayuda gratuita y confidencial disponible ahora mismo.
crisis-emergency-heading = Si usted u otra persona está en peligro inmediato
crisis-emergency-text = Llame ahora a los servicios de emergencia o vaya a la sala de emergencias más cercana.
crisis-call = Llamar al { $number }
crisis-text = Enviar un mensaje de texto al { $number }
crisis-chat = Chatear en línea
crisis-lines-heading = Hable con alguien ahora
crisis-meanwhile-heading = Mientras busca ayuda
crisis-meanwhile-stay = Si puede, quédese con alguien de confianza o pídale que venga con usted.
crisis-meanwhile-reach = Cuéntele a un amigo, a un familiar o a su profesional cómo se siente.
crisis-hope = Los sentimientos tan intensos pueden pasar, y la ayuda funciona. Pedir ayuda es una muestra de fortaleza.

## Página de inicio
home-title = Bienvenido a Haven
home-no-practice = Este servidor de Haven aún no tiene una consulta configurada. El operador crea una con “haven admin create-practice”.
home-practice = Atención en línea de { $practice }.
home-intro = Vea a su profesional por video o por teléfono desde casa, escriba a su equipo de atención y gestione sus citas, en privado.
home-go-dashboard = Ir a Mi Haven
home-not-for-emergencies-heading = Haven no es un servicio de emergencias
home-not-for-emergencies = Si está en peligro, llame ahora al { $number }.

## Inicio de sesión
sign-in-failed = Ese correo electrónico y esa contraseña no coinciden con ninguna cuenta. Revíselos e inténtelo de nuevo.
field-email = Correo electrónico
field-password = Contraseña

## Panel
dashboard-title = Mi Haven
welcome-user = Hola, { $name }
dashboard-account-heading = Su cuenta
dashboard-roles = Su función
dashboard-next-heading = Su próxima cita
dashboard-no-next = Aún no tiene ninguna cita reservada.
role-admin = Administrador de la consulta
role-clinician = Profesional clínico
role-patient = Paciente

## Páginas de error
error-not-found-title = Página no encontrada
error-not-found-detail = No hay ninguna página en esta dirección. Revise el enlace o vuelva a empezar desde la página de inicio.
error-forbidden-title = No permitido
error-forbidden-detail = Su cuenta no puede abrir esta página. Si cree que debería poder, consulte al administrador de su consulta.
error-unauthorized-title = Inicie sesión
error-unauthorized-detail = Inicie sesión primero y vuelva a intentarlo.
error-cross-origin-title = Solicitud rechazada
error-cross-origin-detail = Esta solicitud no provino de las páginas de Haven, así que se rechazó para proteger su cuenta. Vuelva atrás, recargue la página e inténtelo de nuevo.
error-unavailable-title = Haven no está disponible por un momento
error-unavailable-detail = No podemos acceder a los registros de Haven en este momento. Nada de lo que escribió se guardó dos veces ni quedó a medias; inténtelo de nuevo en un minuto.
error-unavailable-crisis = Si necesita ayuda ahora, la página de crisis sigue funcionando:
error-internal-title = Algo salió mal
error-internal-detail = Haven no pudo completar esta solicitud. No se cambió nada. Inténtelo de nuevo; si sigue ocurriendo, avise a su consulta.
error-back-home = Volver a la página de inicio
error-too-many-title = Demasiados intentos
error-too-many-detail = Para proteger las cuentas, el inicio de sesión desde aquí está en pausa unos minutos. Espere e inténtelo de nuevo. Si necesita ayuda ahora, la página de crisis siempre está abierta.
error-bad-request-title = No pudimos leer eso
error-bad-request-detail = Algo de lo que se envió no llegó como se esperaba. Vuelva atrás, revise el formulario e inténtelo de nuevo.
error-bad-encoding-detail = El formulario contenía caracteres que no se pudieron leer, así que no se guardó nada. Vuelva atrás, escriba el texto de nuevo (o péguelo como texto sin formato) y envíelo.
error-too-large-title = Es demasiado grande
error-too-large-detail = Lo que se envió supera el tamaño que Haven acepta. Vuelva atrás e inténtelo con algo más pequeño.

## Formularios
field-name = Nombre
field-role = Función
field-language = Idioma de los correos y las páginas
field-new-password = Contraseña nueva
field-confirm-password = Escriba otra vez la contraseña nueva
password-hint = Al menos 8 caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña segura y fácil de recordar.
password-mismatch = Las dos contraseñas no coinciden. Escríbalas de nuevo.
password-too-short = La contraseña necesita al menos 8 caracteres.
password-too-long = La contraseña puede tener como máximo 128 caracteres.
password-breached = Esa contraseña aparece en listas de contraseñas robadas de otros sitios web, así que no es segura. Elija otra.

## Invitar a personas
invite-title = Invitar a alguien
invite-intro = Recibirá un correo con un enlace para crear su cuenta. El enlace funciona una sola vez, durante 7 días.
invite-send = Enviar invitación
invite-sent = Invitación enviada a { $email }.
invite-error-name = Escriba el nombre de la persona (hasta 120 caracteres).
text-error-one-line = Escríbalo en una sola línea, sin saltos de línea ni caracteres de control.
profile-error-name = Escriba su nombre (hasta 120 caracteres).
invite-error-email = Escriba un correo electrónico válido, como nombre@ejemplo.org.
invite-error-exists = Ya hay una cuenta con este correo electrónico.
accept-title = Cree su cuenta
accept-heading = Bienvenido, { $name }
accept-intro = { $practice } le invitó a Haven como: { $role }. Elija una contraseña para crear su cuenta.
accept-your-email = Iniciará sesión con { $email }.
accept-submit = Crear mi cuenta
accept-error-exists = Ya existe una cuenta con este correo electrónico. Inicie sesión o restablezca su contraseña.
link-invalid-title = Este enlace ya no funciona
link-invalid-detail = Puede que ya se haya usado o que haya caducado. Pida una nueva invitación a su consulta o solicite un nuevo enlace para restablecer la contraseña.

## Restablecer la contraseña
reset-link = ¿Olvidó su contraseña?
reset-title = Restablecer la contraseña
reset-intro = Escriba el correo electrónico con el que inicia sesión. Le enviaremos un enlace para elegir una contraseña nueva.
reset-send = Enviar enlace
reset-sent = Si alguna cuenta usa ese correo, le hemos enviado un enlace. Funciona una sola vez, durante 30 minutos. Si no llega, revise la carpeta de correo no deseado.
reset-choose-title = Elija una contraseña nueva
reset-save = Guardar la contraseña nueva
reset-done = Se cambió su contraseña y se cerraron todas sus sesiones. Inicie sesión con la contraseña nueva.

## Panel del personal
dashboard-patients-heading = Sus pacientes
dashboard-no-patients = Todavía no tiene pacientes. Invite a un paciente para empezar.

## Correos (texto sin formato; sin detalles clínicos)
mail-invite-subject = { $practice } le invitó a Haven
mail-invite-body =
    Hola, { $name }:

    { $practice } le invitó a Haven, donde puede ver a su profesional en línea y mantenerse en contacto entre citas.

    Cree su cuenta aquí (el enlace funciona una sola vez, durante 7 días):
    { $link }

    Si no esperaba este mensaje, puede ignorarlo.

    En una emergencia, llame al 911. Para hablar con alguien ahora, llame o envíe un mensaje de texto al 988.
mail-reset-subject = Restablezca su contraseña de Haven
mail-reset-body =
    Alguien pidió restablecer la contraseña de la cuenta de Haven que usa este correo.

    Elija una contraseña nueva aquí (el enlace funciona una sola vez, durante 30 minutos):
    { $link }

    Si no fue usted, ignore este correo: su contraseña no cambia.

## Inicio de sesión en dos pasos
nav-security = Seguridad
mfa-code-title = Escriba su código de inicio de sesión
mfa-code-label = Código de 6 dígitos o código de recuperación
mfa-code-hint = Abra su aplicación de autenticación y escriba el código que muestra para Haven. ¿Perdió su teléfono? Escriba uno de sus códigos de recuperación.
mfa-code-wrong = Ese código no funcionó. Los códigos cambian cada 30 segundos y cada uno sirve una sola vez; escriba el más reciente.
mfa-verify = Continuar
mfa-setup-title = Configure el inicio de sesión en dos pasos
mfa-setup-intro = Su cuenta necesita un segundo paso al iniciar sesión: un código de una aplicación en su teléfono. Protege los expedientes de sus pacientes aunque alguien conozca su contraseña.
mfa-setup-step-app = Instale una aplicación de autenticación en su teléfono si no tiene una (por ejemplo Google Authenticator, Microsoft Authenticator o cualquier aplicación compatible con "TOTP").
mfa-setup-step-scan = En la aplicación, agregue una cuenta y escanee este código.
mfa-setup-manual = ¿No puede escanearlo? Escriba esta clave:
mfa-setup-step-code = Escriba el código de 6 dígitos que muestra ahora la aplicación.
mfa-setup-finish = Activar el inicio de sesión en dos pasos
mfa-qr-label = Código QR para su aplicación de autenticación
mfa-recovery-title = Sus códigos de recuperación
mfa-recovery-intro = El inicio de sesión en dos pasos está activado. Si pierde su teléfono, cada uno de estos códigos le permite iniciar sesión una vez. Imprímalos o anótelos y guárdelos en un lugar seguro; no se volverán a mostrar.
mfa-recovery-continue = Continuar a Mi Haven
security-title = Inicio de sesión y seguridad
security-totp-heading = Inicio de sesión en dos pasos
security-totp-on = El inicio de sesión en dos pasos está activado.
security-recovery-left = { $count ->
    [one] Queda un código de recuperación.
   *[other] Códigos de recuperación restantes: { $count }.
}
security-totp-off = El inicio de sesión en dos pasos está desactivado. Activarlo significa que alguien que conozca su contraseña aún no podrá abrir su cuenta.
security-confirm-password = Su contraseña actual
security-totp-enable = Activar el inicio de sesión en dos pasos
security-totp-replace = Configurar una nueva aplicación de autenticación
security-wrong-password = Esa contraseña no es correcta. No se cambió nada.
security-password-heading = Contraseña
security-password-save = Cambiar la contraseña
security-password-changed = Se cambió su contraseña. Se cerró su sesión en todos los demás dispositivos.
security-sessions-heading = Dónde tiene la sesión iniciada
security-session-started = Inicio de sesión
security-session-active = Última actividad
security-session-this = Este navegador
security-sign-out-everywhere = Cerrar sesión en todas partes
signed-out-everywhere = Se cerró su sesión en todos los dispositivos.
idle-title = ¿Sigue ahí?
idle-text = Para proteger su privacidad, se cerrará su sesión en unos dos minutos, a menos que elija continuar.
idle-stay = Seguir con la sesión iniciada
signed-out-idle = Se cerró su sesión tras un tiempo sin actividad, para proteger su privacidad. Vuelva a iniciar sesión para continuar.

## Expedientes
chart-care-team = Equipo de atención
chart-no-care-team = Nadie todavía
chart-notes-heading = Notas de evolución
chart-new-note = Nota nueva
chart-save-note = Guardar la nota
chart-no-notes = Todavía no hay notas.
chart-note-meta = { $author }, { $when }
note-error-empty = La nota está vacía. Escriba algo antes de guardarla.
note-error-long = La nota tiene más de 20 000 caracteres. Acórtela o divídala en dos.
chart-denied-title = Este expediente no está abierto para usted
chart-denied-detail = No forma parte del equipo de atención de este paciente. El intento quedó registrado. Si debería formar parte del equipo, consulte al profesional del paciente o al administrador de su consulta.
glass-heading = Acceso de emergencia
glass-explain = Solo en una emergencia, cuando la seguridad del paciente dependa de ello. El acceso dura una hora, cada consulta queda registrada y se avisa de inmediato a los administradores de su consulta.
glass-reason = Por qué necesita acceso ahora
glass-submit = Abrir el expediente durante una hora
glass-error-reason = Indique un motivo de al menos 10 caracteres.
glass-active = Acceso de emergencia hasta { $until }. Cada consulta queda registrada.
mail-glass-subject = Acceso de emergencia a un expediente
mail-glass-body =
    { $name } acaba de usar el acceso de emergencia a un expediente de paciente en Haven.

    Revíselo en el registro de auditoría:
    { $link }

## Registro de auditoría
nav-access = Quién vio mi expediente
nav-audit = Registro de auditoría
access-title = Quién accedió a mi expediente
access-intro = Cada vez que alguien abre o cambia su expediente, o lo intenta sin permiso, Haven lo anota. Esta es esa lista, de lo más reciente a lo más antiguo.
access-none = Nadie ha accedido todavía a su expediente.
access-question = ¿Hay algo aquí que no reconoce? Dígaselo a su profesional o a la consulta.
access-you = Usted
access-staff = { $name } ({ $role })
access-someone-else = Alguien ajeno a su equipo de atención
access-haven = Haven (automático)
audit-title = Registro de auditoría
audit-filters = Filtrar el registro de auditoría
audit-filter-person = Quién actuó (correo)
audit-filter-patient = Sobre el paciente (correo)
audit-filter-action = Qué
audit-any-action = Cualquier cosa
audit-filter-from = Desde (fecha)
audit-filter-until = Hasta (fecha)
audit-search = Mostrar
audit-results = Entradas, de la más reciente a la más antigua (200 como máximo)
audit-export-heading = Exportar como CSV
audit-export = Descargar CSV
audit-error-person = Ninguna cuenta usa ese correo electrónico.
audit-error-date = Use fechas como 2026-03-08.
audit-error-reversed = La fecha "desde" es posterior a la fecha "hasta". Inviértalas para ver las entradas entre ambas.
audit-pages = Páginas del registro de auditoría
audit-older = Entradas anteriores
audit-newest = Entradas más recientes
audit-chain-ok = El registro de auditoría está intacto: las { $count } entradas son correctas.
audit-chain-broken = El registro de auditoría fue manipulado: la entrada { $entry } se cambió, se eliminó o se insertó. Avise a su responsable de seguridad.
audit-nobody = (desconocido)
audit-col-when = Cuándo (UTC)
audit-col-who = Quién
audit-col-patient = Paciente
audit-col-what = Qué
audit-col-source = Desde
audit-col-outcome = Resultado
audit-action-sign-in = Inició sesión
audit-action-sign-in-failed = Inicio de sesión fallido
audit-action-sign-out = Cerró sesión
audit-action-read = Consultó
audit-action-create = Creó
audit-action-update = Cambió
audit-action-export = Exportó
audit-action-permission-change = Cambió permisos
audit-action-access-denied = Se le negó el acceso
audit-action-break-glass = Acceso de emergencia
audit-category-account = cuenta
audit-category-demographics = datos personales
audit-category-clinical = expediente clínico
audit-category-messages = mensajes
audit-category-appointments = citas
audit-category-audit-trail = registro de auditoría
audit-outcome-success = Hecho
audit-outcome-denied = Rechazado
audit-outcome-failure = Falló

## Personas (administradores)
nav-people = Personas
people-title = Personas de su consulta
people-caption = Todas las personas con cuenta en esta consulta
people-status = Estado
people-actions = Acciones
people-active = Activa
people-deactivated = Desactivada
people-totp = Usa el inicio de sesión en dos pasos
people-designee = Puede usar el acceso de emergencia
people-deactivate = Desactivar a { $name }
people-deactivate-confirm = Se cerrarán todas las sesiones de { $name } y no podrá iniciar sesión hasta que se reactive. No se borra nada.
people-deactivate-yes = Sí, desactivar a { $name }
people-reactivate = Reactivar a { $name }
people-allow-glass = Permitir a { $name } el acceso de emergencia
invitations-heading = Invitaciones pendientes
invitations-none = No hay invitaciones pendientes de aceptar.
invitations-valid-until = Enlace válido hasta { $when }
invitations-expired = El enlace caducó el { $when }
invitations-resend = Volver a enviar la invitación de { $name }
invitations-revoke = Retirar la invitación de { $name }
invitations-revoke-confirm = El enlace enviado a { $email } dejará de funcionar. Puede volver a invitar más adelante.
invitations-revoke-yes = Sí, retirarla
invitations-resent = Enviada de nuevo a { $email }, con un enlace nuevo válido durante una semana. El enlace anterior ya no funciona.
invitations-revoked = La invitación se ha retirado; su enlace ya no funciona.
people-care-team = Equipo de atención
people-no-clinician = Aún sin profesional: la recepción lee sus mensajes.
people-care-team-add-label = Añadir un profesional al equipo de atención de { $name }
people-care-team-add = Añadir
people-care-team-remove = Quitar del equipo de atención de { $name }: { $clinician }

## Registro propio
register-title = Cree una cuenta de paciente
register-intro = Pida a { $practice } una cuenta para ver a un profesional en línea. Le enviaremos por correo un enlace para terminar; funciona durante 24 horas.
register-submit = Enviarme el enlace
register-sent = Revise su correo: allí está el enlace para terminar su cuenta. Si ya tiene una cuenta, el correo le explica cómo iniciar sesión.
mail-exists-subject = Ya tiene una cuenta de Haven
mail-exists-body =
    Alguien pidió crear una cuenta de Haven con este correo electrónico, pero usted ya tiene una.

    Inicie sesión con su contraseña o elija una nueva aquí:
    { $link }

    Si no fue usted, puede ignorar este correo.

## Llaves de acceso
passkey-heading = O use una llave de acceso
passkey-sign-in = Iniciar sesión con una llave de acceso
passkeys-heading = Llaves de acceso
passkeys-intro = Una llave de acceso le permite iniciar sesión con el bloqueo de su teléfono o computadora (huella, rostro o PIN) en lugar de contraseña y código. No se puede robar con engaños ni adivinar.
passkeys-none = Todavía no tiene llaves de acceso.
passkeys-added = Se agregó su llave de acceso. La próxima vez, elija "Iniciar sesión con una llave de acceso".
passkey-add = Agregar una llave de acceso
passkey-col-added = Agregada (UTC)
passkey-col-used = Último uso (UTC)
passkey-never-used = Sin usar todavía
passkey-error-expired = Tardó demasiado. Inténtelo de nuevo.
passkey-error-failed = La llave de acceso no funcionó. Inténtelo de nuevo o inicie sesión con su contraseña.

## Perfil
nav-profile = Perfil
profile-title = Su perfil
profile-saved = Guardado.
profile-email-hint = Inicia sesión con esta dirección y los correos de Haven llegan a ella. Si la cambia, avisaremos a la dirección anterior.
profile-password = Contraseña actual (necesaria para cambiar el correo)
profile-save = Guardar
profile-language = Para cambiar el idioma de las páginas y los correos de Haven, use los botones de idioma en la parte superior de cualquier página.
profile-error-password = Para cambiar su correo, escriba correctamente su contraseña actual. No se cambió nada.
mail-email-changed-subject = Se cambió su correo de inicio de sesión de Haven
mail-email-changed-body =
    Se acaba de cambiar el correo electrónico con el que inicia sesión en Haven, y esta dirección ya no recibirá los correos de Haven.

    Si no fue usted, comuníquese de inmediato con su consulta.
passkeys-removed = Se quitó la llave de acceso.
passkey-remove-heading = Quitar una llave de acceso
passkey-which = Qué llave de acceso
passkey-added-on = Agregada el { $when }
passkey-remove = Quitar la llave de acceso

## Scheduling: days and modalities
weekday-1 = lunes
weekday-2 = martes
weekday-3 = miércoles
weekday-4 = jueves
weekday-5 = viernes
weekday-6 = sábado
weekday-7 = domingo
modality-video = Video
modality-phone = Teléfono (solo audio)
modality-in-person = En persona
nav-appointments = Citas
nav-schedule = Agenda
nav-practice-scheduling = Ajustes de agenda

## Finding a clinician and booking
book-title = Pedir una cita
book-intro = Elija dónde estará durante la consulta y cómo quiere reunirse. Las horas se muestran en su zona horaria.
book-where = ¿Dónde estará durante la consulta?
book-where-patient = ¿Dónde estará el paciente durante la cita?
book-where-any = En cualquier lugar (solo consultas en persona)
book-where-choose = Elija un estado o provincia
book-where-hint = En consultas por video o teléfono, el profesional solo puede atenderle donde tiene licencia.
book-modality = ¿Cómo quiere reunirse?
book-any = Cualquiera
book-language = Idioma
book-languages = Idiomas
book-specialty = Especialidad
book-specialties = Especialidades
book-modalities = Tipos de consulta
book-time-zone = Mostrar las horas en
book-search = Buscar profesionales
book-results = Profesionales
book-no-results = Ningún profesional coincide. Pruebe otro lugar, idioma o forma de reunirse.
book-soonest = Primera hora libre
book-no-openings = Sin horas libres por ahora
book-see-times = Ver horas disponibles: { $name }
book-with = Cita: { $name }
book-visit-type = Tipo de consulta
book-visit-type-label = { $name } ({ $minutes } min)
book-update = Actualizar horas
book-range = Del { $from } al { $to }
book-times-in = Las horas se muestran en { $zone }.
book-no-times = No hay horas libres en estos días. Pruebe fechas posteriores o apúntese a la lista de espera.
book-this-time = Reservar esta hora
book-weeks = Semanas
book-earlier = Antes
book-later = Después
book-next-open = Próximas horas libres
book-alternatives = Estas son las próximas horas libres.
book-waitlist-heading = ¿Quiere algo antes?
book-waitlist-intro = Podemos escribirle si se libera una hora antes con este profesional.
book-waitlist-join = Avísenme si se libera una hora antes
book-waitlist-done = Está en la lista de espera. Le escribiremos si se libera una hora antes.

## Booking refusals
booking-error-past = Esa hora ya pasó. Elija una hora futura.
booking-error-too-soon = Esa hora es demasiado pronto para reservar en línea. Elija una hora posterior o llame a la consulta.
booking-error-too-far = Esa hora está demasiado lejos para reservarla aún. Elija una fecha anterior.
booking-error-outside-hours = El profesional no atiende a esa hora. Elija una de las horas libres.
booking-error-time-off = El profesional no está disponible a esa hora. Elija otra hora.
booking-error-taken = Lo sentimos, alguien acaba de reservar esa hora.
booking-error-off-grid = Esa hora no es una de las horas disponibles. Elija una de las horas que se ofrecen.
booking-error-unlicensed = Este profesional no puede atenderle por video o teléfono donde usted estará. Elija otro profesional o una consulta en persona.
booking-error-where = Indique dónde estará durante la consulta.
booking-error-modality = Este tipo de consulta no se ofrece de esa forma. Elija video, teléfono o en persona según se ofrezca.
booking-error-time-zone = No conocemos esa zona horaria. Elija una de la lista.
booking-error-no-time = Elija una hora.
booking-error-unknown-clinician = No encontramos a ese profesional.
booking-error-unknown-visit-type = Ese tipo de consulta ya no se ofrece. Elija otro.
booking-error-unknown-patient = Elija un paciente de esta consulta.
booking-error-not-accepting = Este profesional no acepta reservas en línea por ahora.
booking-error-not-changeable = Esta cita ya no se puede cambiar.
booking-error-changed = Alguien cambió esta cita hace un momento. Revísela de nuevo.
booking-error-no-show-early = Solo se puede marcar una ausencia cuando la consulta ya empezó.
booking-error-status = Elija cómo marcar la consulta.
api-error-range = Pida entre 1 y 31 días a partir de una hora válida.
api-error-time = Haven no puede leer esa hora. Envíela en formato RFC 3339, por ejemplo 2026-12-08T17:00:00Z, con segundos de 00 a 59.
api-error-language = Elija un idioma que Haven ofrece: en o es.
api-error-modality = Elija cómo será la cita: video, phone o in_person.

## Appointments
appts-title = Sus citas
appts-book-new = Pedir una cita
appts-upcoming = Próximas
appts-past = Pasadas y canceladas
appts-none-upcoming = No tiene citas próximas.
appts-none-past = Nada por aquí todavía.
appt-title = Cita
appt-when = Cuándo
appt-with = Con
appt-patient = Paciente
appt-visit = Tipo de consulta
appt-how = Cómo
appt-address = Dirección
appt-status = Estado
appt-status-booked = Reservada
appt-status-cancelled = Cancelada
appt-status-late-cancelled = Cancelada tarde
appt-status-no-show = No asistió
appt-status-completed = Realizada
appt-video-hint = Es una consulta por video. Únase desde esta página unos minutos antes.
appt-phone-hint = Es una consulta por teléfono. Su profesional le llamará a la hora reservada.
appt-change-heading = Cambiar o cancelar
appt-reschedule = Elegir otra hora
appt-cancel = Cancelar esta cita
appt-cancel-confirm = ¿Cancelar su cita del { $when } (profesional: { $name })? El horario vuelve a quedar libre para quienes esperan.
appt-cancel-yes = Sí, cancelarla
appt-late-warning = Faltan menos de { $hours } horas para la consulta, así que cancelar ahora cuenta como cancelación tardía.
appt-mark-heading = Marcar la consulta
appt-mark-as = Marcar como
appt-mark = Guardar
appt-back = Volver a las citas
appt-done-booked = Su cita está reservada. Le enviamos los detalles por correo.
appt-done-moved = Su cita cambió de hora. Le enviamos la nueva hora por correo.
appt-done-booked-staff = La cita está reservada. Hemos enviado los detalles a { $name } por correo.
appt-done-moved-staff = La cita se ha cambiado. Hemos enviado el nuevo horario a { $name } por correo.
appt-done-cancelled = La cita está cancelada.
appt-done-updated = La cita está actualizada.
appt-how-video = Es una consulta por video: únase con el enlace de abajo unos minutos antes.
appt-how-phone = Es una consulta por teléfono: { $clinician } le llamará.
appt-how-in-person = Es en persona en { $address }.
appt-calendar-summary = Cita: { $clinician }
appt-calendar-cancelled = Esta cita está cancelada. Reserve otra hora desde Haven.
resched-title = Elegir otra hora
resched-now = Su cita es el { $when }. Profesional: { $clinician }.
resched-move = Cambiar a esta hora
resched-keep = Mantener la hora actual

## Staff scheduling
schedule-title = Agenda
schedule-book-for = Reservar para un paciente
schedule-settings = Mis ajustes de agenda
schedule-whose = Agenda de
schedule-everyone = Todos
schedule-date = Fecha
schedule-show = Mostrar
schedule-nav = Páginas de la agenda
schedule-day = Día
schedule-week = Semana
schedule-nothing = Nada reservado.
schedule-time-off = Ausencia
schedule-blocked = Bloqueado
schedule-busy = Ocupado
schedule-block-heading = Bloquear tiempo
schedule-from = Desde
schedule-to = Hasta
schedule-block-label = Nota (opcional, solo la ve el personal)
schedule-block = Bloquear este tiempo
schedule-blocked-done = El tiempo está bloqueado.
schedule-error-block = Indique una fecha y una hora de inicio anterior a la de fin, dentro de un mismo día.
series-title = Reservar para un paciente
series-patient = Paciente
series-choose = Elija un paciente
series-first-date = Primera fecha
series-time = Hora ({ $zone })
series-repeat = Repetir
series-once = Una vez
series-weekly = Cada semana
series-biweekly = Cada dos semanas
series-count = Cuántas consultas
series-check = Comprobar las horas
series-check-heading = Las horas, comprobadas
series-free = libre
series-conflict-booked = Ya hay otra consulta reservada a esta hora.
series-book-free = { $count ->
    [one] Reservar la hora libre
   *[other] Reservar las { $count } horas libres
}
series-error-repeat = Elija cada cuánto se repite la consulta.
series-error-count = Reserve entre 1 y 52 consultas.
series-error-none-free = Ninguna de estas horas está libre. Pruebe otro día u hora.
series-error-changed = Alguien acaba de reservar una de las horas. Aquí están, comprobadas de nuevo.

## Clinician settings
settings-title = Ajustes de agenda
settings-title-for = Ajustes de agenda: { $name }
settings-saved = Guardado.
settings-profile = Lo que ven los pacientes
settings-credentials = Títulos (por ejemplo LCSW, PhD)
settings-bio = Unas palabras sobre usted
settings-comma-hint = Separe varios con comas.
settings-licenses = Con licencia en
settings-licenses-hint = Códigos de estado o provincia separados por comas, por ejemplo US-CA, US-NY.
settings-time-zone = Su zona horaria
settings-buffer = Minutos libres entre consultas
settings-notice = Antelación mínima para reservar en línea (horas)
settings-ahead = Cuántos días por adelantado pueden reservar los pacientes
settings-accepting = Los pacientes pueden reservar conmigo en línea
settings-save = Guardar
settings-hours = Horario semanal
settings-hours-hint = En su propia zona horaria ({ $zone }). Deje vacío un día si no trabaja.
settings-save-hours = Guardar horario
settings-dates = Otro horario en una fecha
settings-whole-day-off = Todo el día libre
settings-save-date = Guardar esta fecha
settings-day-off = { $date }: día libre
settings-visit-types = Tipos de consulta
settings-visit-name = Nombre (por ejemplo Terapia)
settings-visit-name-es = Nombre en español (por ejemplo Terapia)
settings-bio-es = Las mismas palabras en español
settings-es-hint = Lo ven quienes leen Haven en español. Si lo deja vacío, verán el texto en inglés.
settings-visit-minutes = Duración en minutos
settings-location = Consultorio, para consultas en persona
settings-no-location = Ninguno
settings-add-visit-type = Añadir este tipo de consulta
settings-retire = Dejar de ofrecer
settings-retire-label = Dejar de ofrecer { $name }
settings-feed = Calendario suscrito
settings-feed-intro = Una dirección privada a la que su aplicación de calendario puede suscribirse. Solo muestra horas, nunca nombres de pacientes. Quien tenga la dirección verá esas horas: manténgala privada.
settings-feed-create = Crear una dirección
settings-feed-replace = Reemplazar la dirección
settings-feed-revoke = Desactivar el calendario
settings-feed-created = Esta es la dirección de su calendario. Solo se muestra ahora: cópiela en su aplicación de calendario.
settings-feed-revoked = El calendario está desactivado; la dirección anterior ya no funciona.
settings-error-licenses = Escriba las licencias como códigos de estado o provincia, como US-CA, separados por comas.
settings-error-number = Revise los números: uno está fuera de lo que Haven permite.
settings-error-profile = Elija al menos un idioma y mantenga breves los títulos y la presentación.
settings-error-profile-first = Guarde primero su perfil.
settings-error-hours = Indique para cada día una hora de inicio anterior a la de fin.
settings-error-date = Elija una fecha.
settings-error-visit-type = Dé a la consulta un nombre, una duración de 5 a 480 minutos y al menos una forma de reunirse; las consultas en persona necesitan un consultorio.
feed-event-summary = Consulta Haven ({ $how })
feed-name = Consultas Haven

## Practice scheduling settings
practice-title = Ajustes de agenda de la consulta
practice-time-zone = Zona horaria de la consulta
practice-late-hours = Plazo de cancelación tardía (horas antes de la consulta)
practice-late-policy = Su política de cancelación tardía, con sus palabras
practice-late-policy-hint = Se muestra a los pacientes que cancelan dentro del plazo. Déjelo vacío para usar el texto de Haven.
practice-reminders = Recordatorios (horas antes de la consulta)
practice-reminders-hint = Hasta cuatro, separados por comas, por ejemplo 24, 1.
practice-error-reminders = Indique hasta cuatro recordatorios en horas, separados por comas, y mantenga la política por debajo de 500 caracteres.
practice-locations = Consultorios
practice-no-locations = Todavía no hay consultorios.
practice-location-name = Nombre
practice-location-address = Dirección
practice-location-access = Accesibilidad (entrada sin escalones, estacionamiento, …)
practice-add-location = Añadir este consultorio
practice-error-location = Dé al consultorio un nombre y una dirección.

## Appointment emails (no clinical detail: when, with whom, how to get there)
mail-appt-booked-subject = Su cita está reservada
mail-appt-booked-body =
    Su cita está reservada para el { $when }. Profesional: { $clinician }.
    { $how }

    Véala, cámbiela o cancélela aquí:
    { $link }
mail-appt-series-body =
    Hay { $count } citas reservadas. La primera es el { $when }. Profesional: { $clinician }.
    { $how }

    Véalas aquí:
    { $link }
mail-appt-moved-subject = Su cita cambió de hora
mail-appt-moved-body =
    Su cita es ahora el { $when }. Profesional: { $clinician }.
    { $how }

    Véala aquí:
    { $link }
mail-appt-cancelled-subject = Su cita está cancelada
mail-appt-cancelled-body =
    Su cita del { $when } está cancelada. Profesional: { $clinician }.

    Puede reservar otra hora aquí:
    { $link }
mail-appt-reminder-subject = Recordatorio: su cita del { $when }
mail-appt-reminder-body =
    Le recordamos su cita del { $when }. Profesional: { $clinician }.
    { $how }

    { $link }
mail-waitlist-subject = Se liberó una hora antes
mail-waitlist-body =
    Se liberó una hora antes (profesional: { $clinician }). Las horas se ocupan rápido; si la quiere, resérvela aquí:
    { $link }
profile-time-zone-heading = Zona horaria
profile-time-zone = Mostrar las horas en
profile-time-zone-practice = La zona horaria de la consulta
profile-time-zone-hint = Las horas de las citas en todas las páginas y correos usan esta zona.
profile-time-zone-save = Guardar zona horaria

## Secure messaging
nav-messages = Mensajes
messages-title = Mensajes seguros
messages-none = Todavía no tiene conversaciones.
messages-no-care-team = Aún sin profesional asignado: responde la recepción
messages-unread = { $count } sin leer
messages-conversation = Conversación
messages-empty = Todavía no hay mensajes. Escriba el primero abajo.
messages-your-care-team = Su equipo de atención
messages-automatic = respuesta automática
messages-compose = Escribir un mensaje
messages-expectation = Su equipo de atención suele responder en { $hours } horas los días laborables.
messages-expectation-front-desk = Aún no tiene un profesional asignado, así que la recepción de la consulta lee sus mensajes. Suele responder en { $hours } horas en días laborables.
messages-not-watched = Este buzón no se atiende las 24 horas. Si está en crisis, llame o envíe un texto al 988, o llame al { $number } en una emergencia.
messages-your-message = Su mensaje
messages-file = Adjuntar un archivo (opcional)
messages-file-hint = Un PDF, PNG o JPEG, de hasta { $mb } MB. Las fotos se limpian de datos de ubicación antes de guardarse.
messages-skip-to-compose = Ir al cuadro de mensaje
messages-ctrl-enter = Ctrl+Intro (o ⌘+Intro) envía.
messages-file-link = Archivo adjunto
messages-send = Enviar de forma segura
messages-sending = Enviando…
messages-sent = Enviado.
messages-failed = Su mensaje no se envió. Sigue en el cuadro: inténtelo de nuevo.
messages-offline = Se perdió la conexión. Su mensaje se enviará cuando vuelva la conexión.
messages-new = Nuevo mensaje de { $name }.
messages-read = Leído por { $names }
messages-read-by = Leído por { $names }
messages-you = Usted
message-error-empty = Escriba un mensaje (o adjunte un archivo).
message-error-long = Ese mensaje es demasiado largo. Manténgalo por debajo de 4000 caracteres o adjunte un documento.
message-error-client-id = La página estaba desactualizada. Envíe su mensaje de nuevo.
message-error-too-many = Ha enviado muchos mensajes en poco tiempo. Espere un minuto e inténtelo de nuevo; su texto sigue aquí.
message-error-file-type = Ese archivo no se puede enviar. Adjunte un PDF, PNG o JPEG.
message-error-file-large = Ese archivo ocupa más de { $mb } MB, así que no se envió nada. Su texto sigue aquí: adjunte un archivo más pequeño o envíe solo el texto.
message-error-file-broken = No se pudo leer esa imagen. Pruebe con otro archivo.
mail-message-subject = Tiene un mensaje seguro nuevo
mail-message-body =
    Tiene un mensaje seguro nuevo en Haven. Por su privacidad, no se incluye en este correo.

    Inicie sesión para leerlo:
    { $link }
practice-messaging = Mensajería
practice-reply-hours = Tiempo habitual de respuesta, en horas (se muestra a los pacientes al escribir)
practice-front-desk = La recepción (administradores) participa en las conversaciones de los pacientes
settings-away = Respuesta automática fuera de su horario
settings-away-hint = Se envía una vez al día a los pacientes que escriben fuera de su horario semanal. Déjelo vacío para no enviar ninguna.
settings-save-away = Guardar la respuesta automática
dashboard-unread = Mensajes seguros ({ $count } sin leer)

## Video and phone visits
audit-category-visits = visitas de telesalud
visit-join-button = Entrar a la visita
visit-join-hint = Puede entrar hasta una hora antes y esperar en la sala de espera.
visit-check-title = Revise su cámara y micrófono
visit-check-intro = Antes de la visita, comprobemos que pueden verse y oírse. Nada de esto se graba.
visit-check-devices = Sus dispositivos
visit-check-preview = Su cámara
visit-check-mic-level = Nivel del micrófono (hable para verlo moverse)
visit-check-speaker = Reproducir un sonido de prueba
visit-check-again = Revisar de nuevo
visit-check-results = Resultados
visit-check-checking = Revisando…
visit-check-camera-ok = Cámara: funciona.
visit-check-camera-missing = Cámara: no se encontró ninguna. Puede tener la visita solo con audio.
visit-check-camera-denied = Cámara: el navegador no tiene permiso para usarla.
visit-check-mic-ok = Micrófono: funciona.
visit-check-mic-missing = Micrófono: no se encontró ninguno. Conecte unos auriculares o use un teléfono.
visit-check-mic-denied = Micrófono: el navegador no tiene permiso para usarlo.
visit-check-network-ok = Conexión con Haven: { $ms } ms.
visit-check-network-failed = Conexión con Haven: no respondió. Revise su conexión a internet.
visit-check-turn-ok = Conexión para la llamada: funciona, incluso a través de cortafuegos.
visit-check-turn-failed = Conexión para la llamada: no se pudo llegar al servidor de retransmisión. La llamada puede funcionar igualmente; si no, puede usar audio o el chat.
visit-check-turn-none = Conexión para la llamada: no hay servidor de retransmisión configurado; las llamadas funcionan en la mayoría de las redes.
visit-check-help-denied = Para permitir la cámara y el micrófono, seleccione el icono de la cámara o del candado en la barra de direcciones, elija Permitir y luego «Revisar de nuevo».
visit-check-help-missing = No se encontró cámara ni micrófono. Si hay uno conectado, cierre otras aplicaciones que puedan estar usándolo y luego seleccione «Revisar de nuevo».
visit-check-audio-only = Puede continuar: la visita será solo con audio.
visit-check-continue = Continuar
visit-safety-title = Antes de su visita
visit-safety-for = Su visita (profesional: { $name })
visit-safety-why = Confirme dónde está y cómo localizarle. Si la llamada se corta o necesita ayuda, su profesional usará estos datos.
visit-safety-address = ¿Dónde está ahora? (dirección)
visit-safety-address-hint = Calle, número y localidad, o una descripción con la que alguien pueda encontrarle.
visit-safety-region = Estado o provincia donde está
visit-safety-region-pick = Elija…
visit-safety-phone = Un teléfono para devolverle la llamada
visit-safety-phone-hint = Por ejemplo +1 312 555 0101.
visit-safety-contact = Contacto de emergencia
visit-safety-contact-name = Su nombre
visit-safety-contact-phone = Su teléfono
visit-safety-continue = Continuar a la sala de espera
visit-errors-heading = Revise lo siguiente
visit-error-address = Escriba dónde está (al menos 5 caracteres).
visit-error-region = Elija el estado o la provincia donde está.
visit-error-phone = Escriba un teléfono de 7 a 15 dígitos.
visit-error-contact-name = Escriba el nombre de su contacto de emergencia.
visit-error-contact-phone = Escriba el teléfono de su contacto de emergencia (7 a 15 dígitos).
visit-error-consent = Marque la casilla para aceptar la atención por telesalud, o pregunte a su profesional por una visita presencial.
visit-error-signature = Escriba su nombre completo para firmar.
visit-error-closed = La sala de espera de esta visita no está abierta ahora. Abre una hora antes de la visita.
visit-error-rating = Elija una de las respuestas.
visit-consent-heading = Consentimiento para telesalud
visit-consent-1 = Las visitas de telesalud se hacen por video o teléfono en lugar de en persona. Su profesional sigue las mismas normas de privacidad que en el consultorio; la llamada va directamente entre su dispositivo y el suyo y no se graba.
visit-consent-2 = La tecnología puede fallar. Si la llamada se corta, su profesional le llamará al número que indique aquí.
visit-consent-3 = Al comienzo de cada visita confirmará dónde está, para que se pueda enviar ayuda si hay una emergencia.
visit-consent-4 = Puede detener una visita de telesalud en cualquier momento y pedir una visita presencial.
visit-consent-version = Versión del consentimiento { $version }
visit-consent-agree = He leído esto y acepto recibir atención por telesalud.
visit-consent-signature = Escriba su nombre completo para firmar
visit-room-title = Su visita
visit-room-title-clinician = Visita
visit-room-with = Visita: { $name }
visit-connecting = Conectando…
visit-needs-js = La videollamada necesita JavaScript. Actívelo o pida una visita por teléfono.
visit-waiting-heading = Sala de espera
visit-waiting-text = { $name } sabe que está aquí y le dejará pasar.
visit-waiting-calm = Puede dejar esta página abierta. No tiene que hacer nada más.
visit-lobby-heading = Sala de espera
visit-lobby-empty = Todavía no hay nadie esperando.
visit-licence-warning = El paciente dice estar en un lugar que sus licencias no cubren. Compruébelo antes de admitirlo.
visit-admit = Admitir
visit-note-label = Nota para la sala de espera
visit-note-send = Enviar nota
visit-phone-heading = Visita por teléfono
visit-phone-call = Llame al paciente al
visit-emergency-heading = Paciente desconectado: datos de emergencia
visit-emergency-location = Ubicación
visit-emergency-phone = Teléfono para devolver la llamada
visit-emergency-contact = Contacto de emergencia
visit-emergency-number = Número de emergencias local
visit-call-heading = Llamada
visit-remote-video = Video: { $name }
visit-remote-audio-only = { $name } está solo con audio.
visit-local-video = Su propio video
visit-controls = Controles de la llamada
visit-label-mute = Silenciar
visit-label-unmute = Activar micrófono
visit-label-camera-off = Apagar cámara
visit-label-camera-on = Encender cámara
visit-label-audio-only = Solo audio
visit-label-video = Volver al video
visit-label-share = Compartir pantalla
visit-label-stop-share = Dejar de compartir
visit-end = Terminar la visita
visit-end-confirm = ¿Terminar la cita para usted y { $name }? La llamada se cierra en ambos lados.
visit-end-yes = Sí, terminar la cita
visit-end-no = Seguir hablando
visit-leave = Salir
visit-poor-connection = La conexión es mala. Solo audio puede funcionar mejor.
visit-switch-audio = Cambiar a solo audio
visit-chat-heading = Chat
visit-chat-label = Mensaje
visit-s-chat-new = Nuevo mensaje de chat de { $name }. Abra "Chat" para leerlo.
visit-chat-unread = { $count ->
    [one] (1 nuevo)
   *[other] ({ $count } nuevos)
}
visit-chat-send = Enviar
visit-s-waiting = Esperando a que { $name } le deje pasar.
visit-s-admitted = Ya puede pasar. Conectando la llamada…
visit-s-connecting = Conectando…
visit-s-connected = Conectado.
visit-s-reconnecting = Se perdió la conexión. Reconectando…
visit-s-peer-left = { $name } salió de la llamada.
visit-s-peer-back = { $name } volvió.
visit-s-ended = La visita ha terminado.
visit-s-audio-only-on = Solo audio: no se envía video en ninguna dirección, para que la llamada se oiga bien.
visit-s-audio-only-off = El video vuelve a estar activo.
visit-s-peer-audio-only = { $name } cambió a solo audio, así que la llamada es solo de audio: no se envía video en ninguna dirección.
visit-s-peer-still-audio-only = Su cámara está lista, pero { $name } está con solo audio, así que la llamada sigue siendo solo de audio hasta que vuelva al video.
visit-s-muted = Su micrófono está silenciado.
visit-s-unmuted = Su micrófono está activo.
visit-s-camera-off = Su cámara está apagada.
visit-s-camera-on = Su cámara está encendida.
visit-s-share-on = Está compartiendo su pantalla.
visit-s-share-off = Se dejó de compartir la pantalla.
visit-s-you = Usted
visit-s-turn-failed = La llamada no pudo llegar al servidor de retransmisión. Pruebe otra red, o use el chat o una llamada telefónica.
visit-s-connect-failed = La llamada no pudo conectarse. Deje esta página abierta: sigue intentándolo. Mientras tanto puede usar el chat.
visit-s-patient-waiting = { $name } lleva { $minutes } min esperando.
visit-s-patient-arrived = { $name } está en la sala de espera.
visit-s-patient-gone = { $name } salió de la sala de espera.
visit-s-no-camera = Sin cámara: está solo con audio.
visit-s-note-sent = Nota enviada a la sala de espera.
visit-s-error = Algo salió mal. Recargue la página para intentarlo de nuevo.
visit-s-error-not-checked-in = Primero confirme sus datos.
visit-s-error-not-a-party = Esta visita no es suya.
visit-s-error-not-admitted = Espere a que le dejen pasar.
visit-done-title = Su visita ha terminado
visit-done-with = Gracias por su visita (profesional: { $name }).
visit-done-how = Cómo fue
visit-done-length = Duración
visit-done-minutes = { $minutes } min
visit-done-thanks = Gracias. Su respuesta ayuda a la consulta a mejorar sus visitas.
visit-rate-question = ¿Qué tal fue la calidad del sonido y la imagen de la llamada?
visit-rate-5 = Excelente
visit-rate-4 = Buena
visit-rate-3 = Regular
visit-rate-2 = Mala
visit-rate-1 = Muy mala
visit-rate-send = Enviar
visit-done-home = Volver a la página de inicio
visit-done-book-next = Reservar su próxima cita
visit-used-video = Video
visit-used-audio-only = Solo audio
visit-used-mixed = Video y solo audio
visit-used-phone = Teléfono
visit-used-none = La llamada no se conectó
dashboard-waiting-heading = Su sala de espera
dashboard-waiting-row = { $name }, esperando { $minutes } min
dashboard-visits-heading = Visitas por video y teléfono de hoy
book-photo-of = Foto: { $name }
settings-photo = Foto
settings-photo-file = Foto (PNG o JPEG)
settings-photo-hint = Opcional. Los pacientes la ven al elegir profesional. Haven guarda una copia pequeña sin los datos de la cámara ni la ubicación.
settings-photo-save = Guardar foto
settings-photo-remove = Quitar foto
settings-error-photo-large = El archivo ocupa más de 5 MB. Elija una foto más pequeña.
settings-error-photo-type = Elija una foto PNG o JPEG.
settings-error-photo-broken = No se pudo leer la foto. Pruebe a guardarla de nuevo como PNG o JPEG.

## Medidas: cuestionarios entre visitas
checkin-about = { $count } preguntas · unos { $minutes } minutos. Puede guardar y volver más tarde.
checkin-minutes = unos { $minutes } minutos
checkin-english-only = Este cuestionario todavía no tiene una traducción publicada al español, así que se muestra en inglés.
checkin-saved = Sus respuestas hasta ahora están guardadas. Puede volver a terminar en cualquier momento antes de que se cierre el cuestionario.
checkin-errors-heading = Faltan algunas respuestas
checkin-error-missing = Conteste la pregunta { $number }.
checkin-error-invalid = Elija una de las respuestas de la pregunta { $number }.
checkin-only-if-yes = Solo si contestó que sí a la pregunta { $number }.
checkin-optional = Puede saltar esta pregunta.
checkin-submit = Enviar mis respuestas
checkin-save = Guardar y terminar después
checkin-done-title = Gracias
checkin-done-text = Sus respuestas ya las tiene su profesional ({ $name }), que las revisará con usted.
checkin-done-home = Volver a su página de inicio
checkin-risk-title = Gracias por contárnoslo
checkin-risk-intro = Algunas de sus respuestas nos dicen que ahora las cosas están difíciles. No tiene que pasar por esto a solas.
checkin-risk-next = Su profesional ({ $name }) y su equipo de atención lo sabrán hoy y se comunicarán con usted.
checkin-risk-now-heading = Hable con alguien ahora
checkin-risk-message = Enviar un mensaje a su equipo de atención
crisis-emergency-short = Si está en peligro ahora mismo, llame al { $number }.
dashboard-checkins-heading = Cuestionarios por contestar
dashboard-check-in = { $name } (lo envió: { $clinician })
dashboard-signals-heading = Requiere atención hoy
dashboard-signal-reviewed = Marcar como revisado
signal-phq9-item9 = PHQ-9: pensamientos de hacerse daño (pregunta 9)
signal-cssrs-high = Evaluación de suicidio: riesgo alto
signal-cssrs-moderate = Evaluación de suicidio: riesgo moderado
signal-cssrs-low = Evaluación de suicidio: riesgo bajo
measures-heading = Medidas
measures-none = Todavía no hay cuestionarios contestados.
measures-latest = último { $score }
measures-trend-label = Puntuaciones de { $name } a lo largo del tiempo. La tabla de abajo las enumera.
measures-table-caption = Puntuaciones de { $name }
measures-col-date = Fecha
measures-col-score = Puntuación
measures-col-band = Gravedad
measures-col-change = Cambio desde la primera
measures-change-baseline = Punto de partida
measures-change-improved = Mejora fiable
measures-change-deteriorated = Empeoramiento fiable
measures-change-same = Sin cambio fiable
measures-risk-high = Riesgo alto
measures-risk-moderate = Riesgo moderado
measures-risk-low = Riesgo bajo
measures-risk-none = Sin indicios de riesgo
measures-assign = Enviar un cuestionario
measures-instrument = Cuestionario
measures-when = Cuándo
measures-once = Una vez, ahora
measures-weekly = Con un calendario
measures-weeks = Cada cuántas semanas
measures-weekday = El día
measures-hour = A la hora (0–23, hora del paciente)
measures-assign-button = Enviar
measures-error-instrument = Elija uno de los cuestionarios de la lista.
measures-error-schedule = Elija cada 1 a 12 semanas, un día y una hora de 0 a 23.
measures-legend-lower = Más alto es más grave; el sombreado marca los niveles de gravedad. Línea discontinua: la primera puntuación. Puntos grandes verdes: mejora fiable respecto a la primera; puntos grandes rojos: empeoramiento fiable.
measures-legend-higher = Más alto es mejor; el sombreado marca los niveles. Línea discontinua: la primera puntuación. Puntos grandes verdes: mejora fiable respecto a la primera; puntos grandes rojos: empeoramiento fiable.
dashboard-signal-new = Nuevo: las respuestas de un paciente requieren atención hoy.
checkin-risk-next-team = Su equipo de atención lo sabrá hoy y se comunicará con usted.
checkin-done-text-team = Sus respuestas le llegaron a su equipo de atención, que las revisará con usted. Puede cerrar esta página.
mail-checkin-subject = Un cuestionario breve de su equipo de atención
mail-checkin-body =
    Su profesional ({ $clinician }) le pidió que conteste un cuestionario breve. Toma unos { $minutes } minutos.

    Contéstelo aquí:
    { $link }

    El enlace es solo para usted. Funciona hasta que envíe sus respuestas, o hasta el { $until }.

    Si está en crisis, llame o envíe un texto al 988, o llame al 911 en una emergencia.
mail-checkin-reminder-subject = Recordatorio: su cuestionario sigue abierto
mail-checkin-reminder-body =
    Un cuestionario breve todavía lo espera (lo envió: { $clinician }). Toma unos { $minutes } minutos.

    Contéstelo aquí:
    { $link }

    Se cierra el { $until }.

    Si está en crisis, llame o envíe un texto al 988, o llame al 911 en una emergencia.
practice-measures = Cuestionarios entre visitas
practice-measures-show = Los pacientes ven sus propios resultados a lo largo del tiempo
practice-measures-sign-in = Los enlaces de los cuestionarios enviados por correo piden iniciar sesión (en lugar de abrir el cuestionario directamente)
practice-measures-reliable = Un cambio fiable en el PHQ-9 es de
practice-measures-reliable-6 = 6 puntos o más (NHS Talking Therapies)
practice-measures-reliable-5 = 5 puntos o más
measures-error-reliable = Elija 5 o 6 puntos para un cambio fiable en el PHQ-9.
results-title = Los resultados de sus cuestionarios
results-none = Todavía no ha contestado ningún cuestionario. Cuando lo haga, verá aquí cómo le va con el tiempo.
results-in-visits = Su equipo de atención revisa con usted los resultados de sus cuestionarios en las visitas.
results-improved = Su puntuación ha mejorado mucho desde que empezó.
results-worse = Su puntuación es más alta que cuando empezó. Vale la pena hablarlo con su equipo de atención.
results-same = Su puntuación es más o menos la misma que cuando empezó.
results-first = Esta es su primera puntuación. Con el tiempo verá cómo cambia.
results-lower-better = Más bajo es mejor.
results-higher-better = Más alto es mejor.
results-chart-label = Sus puntuaciones de { $name } a lo largo del tiempo. La tabla de abajo las enumera.
results-table-caption = Sus puntuaciones: { $name }
results-talk = Estos números son una forma de ver cómo ha estado. Su equipo de atención los revisa con usted.
visit-measure-heading = Cuestionarios
visit-measure-send = Enviar a { $name }
visit-measure-result = { $name }: { $score }
visit-measure-signal = Requiere atención hoy: vea los pasos de crisis.
visit-measure-arrived = Su profesional ({ $name }) le envió un cuestionario
visit-measure-arrived-hint = Puede contestarlo mientras hablan. Sus respuestas le llegan directamente a su profesional.
visit-s-measure-sent = Enviado. Ya está en la pantalla de { $name }.
outcomes-title = Resultados de la atención
outcomes-intro = De los pacientes con una primera puntuación y al menos una posterior, cuántos mejoraron de forma fiable, se recuperaron, siguieron más o menos igual o empeoraron de forma fiable, según su última puntuación. Compare la atención por video, por teléfono y en persona con las cifras de su propia consulta.
outcomes-privacy = No se muestran los grupos de menos de { $count } pacientes, para que nadie pueda ser reconocido.
outcomes-none = Todavía ningún paciente tiene una primera puntuación y otra posterior.
outcomes-caption = { $name }: cambio de la primera puntuación a la última
outcomes-everyone = Todos los pacientes
outcomes-mode-video = Solo visitas por video
outcomes-mode-phone = Solo visitas por teléfono
outcomes-mode-in-person = Solo visitas en persona
outcomes-mode-mixed = Mixta (más de una forma)
outcomes-fewer = menos de { $count }
outcomes-hidden = No se muestra: muy pocos pacientes
outcomes-col-group = Grupo
outcomes-col-patients = Pacientes
outcomes-col-improved = Mejora fiable
outcomes-col-recovered = Recuperados
outcomes-col-unchanged = Sin cambio fiable
outcomes-col-deteriorated = Empeoramiento fiable
dashboard-review-heading = Puntuaciones de cuestionarios por revisar
checkin-closed-title = Este enlace del cuestionario ya no funciona
checkin-closed-text = Ya se contestó, o el cuestionario se cerró. Si su equipo de atención todavía quiere sus respuestas, encontrará el cuestionario en su página de inicio al iniciar sesión.
