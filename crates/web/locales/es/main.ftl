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
crisis-meanwhile-plan = Si tiene un plan de seguridad, ábralo y siga sus pasos.
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
role-admin = Administrador de la consulta
role-clinician = Profesional clínico
role-patient = Paciente

## Páginas de error
error-not-found-title = Página no encontrada
error-not-found-detail = No hay ninguna página en esta dirección. Revise el enlace o vuelva a empezar desde la página de inicio.
error-forbidden-title = No permitido
error-forbidden-detail = Su cuenta no puede abrir esta página. Si cree que debería poder, consulte al administrador de su consulta.
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
error-too-large-title = Es demasiado grande
error-too-large-detail = Lo que se envió supera el tamaño que Haven acepta. Vuelva atrás e inténtelo con algo más pequeño.
