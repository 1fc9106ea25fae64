// Machine-authored Spanish catalogue: awaiting review by native speakers before production use
// (README "Languages"). Keys and {{slots}} mirror en.ts; i18n/catalogues.test.ts checks both.
import type { Catalogue } from "./en.js"

export default {
  "lang.label": "Idioma",
  "layout.skip": "Saltar al contenido",
  "layout.loading": "Cargando…",
  "layout.footer": "Sotto · todo lo que escribe se cifra en este navegador",
  "layout.build": "versión {{build}}",
  "layout.unsigned": "versión de desarrollo sin firmar",
  "layout.manifest": "manifiesto de código {{hash}}",
  "layout.check": "compruébelo",
  "app.updateReady": "Hay una nueva versión lista —",
  "app.updateRefused":
    "Atención: este nodo ha servido código sin firmar. La versión que ya tiene sigue funcionando en esta pestaña: manténgala abierta, no la recargue ni borre los datos de esta aplicación, y avise a la organización.",
  "landing.title": "Informe de forma segura a {{name}}",
  "landing.intro":
    "Lo que escribe y los archivos que añade se cifran en este navegador antes de salir de él. Solo las personas que reciben las denuncias pueden leerlos; este servidor no.",
  "landing.channels": "Elija dónde denunciar",
  "landing.noChannels": "Todavía no hay ningún canal de denuncia abierto.",
  "landing.reportTo": "Denunciar a {{name}}",
  "landing.backTitle": "¿Ya ha enviado una denuncia?",
  "landing.backText": "Use su recibo para leer las respuestas y añadir información.",
  "landing.login": "Acceder con su recibo",
  "landing.staff": "Acceso del personal",
  "landing.verify": "Comprobar el código que está ejecutando",
  "key.title": "Compruebe la clave de este nodo",
  "key.unchecked": "No se ha podido comprobar la clave de este nodo.",
  "key.compare":
    "Compare estas palabras con las que la organización publica en otro lugar. Si no coinciden, no denuncie aquí.",
  "key.qr": "Mostrar como código QR",
  "key.qrLabel": "La huella de la clave del nodo como código QR",
  "report.title": "Denunciar a {{name}}",
  "report.readers":
    "Solo {{names}} podrán leer su denuncia. Sus claves se han verificado con la firma de este nodo.",
  "form.requiredNote": "Las preguntas marcadas con * son obligatorias; las demás son opcionales.",
  "form.maxFiles.one": "Puede adjuntar hasta {{count}} archivo.",
  "form.maxFiles.other": "Puede adjuntar hasta {{count}} archivos.",
  "form.noFiles": "Este canal no acepta archivos.",
  "form.attachments": "Archivos adjuntos",
  "form.attachmentsHelp": "Documentos, fotos u otros archivos.",
  "form.optional": "(opcional)",
  "form.choose": "Elija…",
  "form.send": "Enviar denuncia",
  "form.identityNote":
    "Sobre su identidad: se sella por separado. Solo los custodios del canal pueden leerla; un destinatario solo la ve si un custodio aprueba su solicitud por escrito, y la página de su denuncia le avisará si eso ocurre. Puede dejarlo en blanco.",
  "file.list": "Archivos de {{label}}",
  "file.hashing": "Calculando SHA-256… {{percent}} %",
  "file.remove": "Quitar {{name}}",
  "file.unreadable": "No se ha podido leer este archivo. Quítelo y vuelva a adjuntarlo.",
  "outbox.offlineForm":
    "No tiene conexión. Aun así puede escribir su denuncia y adjuntar archivos: se cifrará, se guardará en este dispositivo y se enviará cuando vuelva la conexión.",
  "outbox.cachedForm":
    "Este formulario se guardó antes en este dispositivo; las claves de sus destinatarios se verificaron entonces con la firma de este nodo.",
  "outbox.sealing": "Cifrando {{name}} en este dispositivo",
  "outbox.storageRefused":
    "Este navegador no permite guardar la denuncia en este dispositivo (modo privado o sin espacio), así que no puede conservarse para más tarde. Conéctese a internet y vuelva a enviarla.",
  "outbox.noCopy":
    "No tiene conexión y este formulario nunca se abrió en este dispositivo con conexión, así que ahora no se puede rellenar. Ábralo una vez con conexión.",
  "verify.howTo": "Cómo comprobar el código",
  "error.NETWORK":
    "No se ha podido conectar con el nodo. Compruebe su conexión (o Tor) e inténtelo de nuevo; no se ha perdido nada.",
  "error.UNKNOWN": "Algo ha fallado.",
  "error.FILE_CHANGED":
    "Un archivo cambió en su dispositivo después de adjuntarlo, así que no se envió. Quítelo y vuelva a adjuntarlo.",
  "error.WRONG_KEY": "Esa clave no abre esto. Compruébela e inténtelo de nuevo.",
  "error.TIP_NOT_BOUND":
    "El servidor entregó a esta página una denuncia que no se hizo con su recibo: su firma no coincide con la clave que da su recibo. No se ha mostrado ni enviado nada. El servidor podría estar comprometido: no escriba nada aquí y contacte con la organización por otra vía.",
  "error.TAMPERED":
    "Estos datos se modificaron después de cifrarse, así que no se abrieron. Avise a la organización.",
  "error.RATE_LIMITED":
    "Demasiados intentos en este nodo ahora mismo. Espere un minuto e inténtelo de nuevo.",
  "error.QUOTA_EXCEEDED":
    "Esta denuncia ya contiene todo lo permitido. No se puede añadir nada más.",
  "error.INSUFFICIENT_STORAGE":
    "Este nodo se está quedando sin espacio en disco y de momento no acepta nada nuevo. Inténtelo más tarde.",
  "error.BUDGET_EXCEEDED":
    "Este canal o nodo ha alcanzado su límite por ahora y no acepta nada nuevo. Inténtelo más tarde.",
  "error.SESSION_EXPIRED": "Su sesión ha terminado. Vuelva a acceder.",
  "error.UNAUTHENTICATED": "Su sesión ha terminado. Vuelva a acceder.",
  "error.FORBIDDEN": "No tiene permiso para hacer esto.",
  "error.NOT_FOUND": "Esto ya no existe en el nodo (puede haber caducado o haberse eliminado).",
  "error.BAD_POW": "La comprobación antispam ha caducado. Vuelva a enviar.",
  "error.BAD_RECEIPT_FORMAT":
    "Eso no es un recibo de este nodo. Escríbalo exactamente como se le mostró (los espacios no importan).",
  "error.BAD_SIGNATURE":
    "La lista de destinatarios de este canal no está firmada con la clave de este nodo. Por su seguridad no se ha enviado nada. Inténtelo más tarde y avise a la organización por otra vía.",
  "error.KEY_MISMATCH":
    "La lista de destinatarios de este canal está firmada con una clave distinta de la de este nodo. Por su seguridad no se ha enviado nada. Inténtelo más tarde y avise a la organización por otra vía.",
  "error.BAD_DIRECTORY":
    "La lista de destinatarios de este canal no se puede verificar. Por su seguridad no se ha enviado nada.",
  "error.WEAK_PARAMS":
    "El nodo pidió parámetros de derivación de claves por debajo de su mínimo firmado, lo que haría una contraseña más fácil de adivinar; no se ha hecho nada.",
  "error.VALIDATION": "Parte de lo enviado no es válido. Revise los campos resaltados.",
  "error.CONFLICT": "Esto entra en conflicto con algo ya guardado. Recargue e inténtelo de nuevo.",
  "error.PAYLOAD_TOO_LARGE": "Esto supera el tamaño que acepta el nodo.",
  "error.NOT_SET_UP": "Este nodo todavía no se ha configurado.",
  "error.ABORTED": "Cancelado.",
  "error.NODE_KEY_CHANGED":
    "La clave de firma de este nodo no es la que este navegador aceptó en una visita anterior. El servidor podría haber sido tomado, así que por su seguridad no se ha enviado nada. Avise a la organización por otra vía.",
  "error.MANIFEST_STALE":
    "La descripción firmada de este nodo es más antigua que una que este navegador ya vio: el servidor podría estar reenviando una versión antigua. Por su seguridad no se ha enviado nada. Avise a la organización por otra vía.",
  "error.MANIFEST_FORGED":
    "La descripción firmada de este nodo no se verifica con su clave: el servidor podría haber sido manipulado. Por su seguridad no se ha enviado nada. Avise a la organización por otra vía.",
  "error.DIRECTORY_STALE":
    "La lista de destinatarios de este canal es más antigua que una que este navegador ya vio: el servidor podría estar reenviando una lista antigua (quizá con alguien que ya se retiró). Por su seguridad no se ha enviado nada. Avise a la organización por otra vía.",
  "error.DIRECTORY_EXPIRED":
    "La lista de destinatarios de este canal ha caducado: la organización no la ha renovado. Por su seguridad no se ha enviado nada. Inténtelo más tarde y avise a la organización por otra vía.",
  "error.COSTLY_PARAMS":
    "El nodo pidió parámetros de derivación de claves por encima de su límite firmado (podrían bloquear este dispositivo); no se ha hecho nada.",
  "error.POW_OUT_OF_BOUNDS":
    "El nodo pidió a este dispositivo una comprobación antispam fuera de los límites que firmó (podría mantenerlo ocupado durante horas o días). Por su seguridad no se ha enviado nada. Inténtelo más tarde y avise a la organización por otra vía.",
  "error.DIRECTORY_CONTEXT":
    "La lista de destinatarios servida para este canal pertenece a otro canal. Por su seguridad no se ha enviado nada. Inténtelo más tarde y avise a la organización por otra vía.",
  "error.NO_RECIPIENTS":
    "Este canal todavía no tiene destinatarios, así que no se le puede enviar una denuncia. Inténtelo más tarde.",
  "error.HASH_MISMATCH": "Un fragmento de un archivo llegó dañado; se está enviando de nuevo.",
  "error.INCOMPLETE_UPLOAD": "Un archivo no llegó completo. Vuelva a enviarlo.",
  "error.NO_SESSION": "Primero acceda con su recibo.",
  "error.OPRF_KEY_MISMATCH":
    "El servidor respondió a la comprobación de la contraseña o del recibo con una clave que este nodo no ha firmado: puede que lo hayan tomado. Por tu seguridad no se envió nada derivado de lo que escribiste. No vuelvas a intentarlo; avisa a la organización por otro canal.",
  "error.OPRF_BAD_PROOF":
    "La respuesta del servidor a la comprobación de la contraseña o del recibo llegó sin una prueba válida: puede que la hayan manipulado. Por tu seguridad no se envió nada derivado de lo que escribiste. No vuelvas a intentarlo; avisa a la organización por otro canal.",
  "error.OPRF_DOWNGRADE":
    "El servidor pidió a este navegador una forma más antigua y débil de comprobar tu contraseña o tu recibo que la usada aquí antes: puede que lo hayan tomado. Por tu seguridad no se envió nada derivado de lo que escribiste. Avisa a la organización por otro canal.",
  "error.OPRF_OFFLINE":
    "Este nodo protege los recibos con una comprobación en el servidor, así que crear o usar un recibo necesita conexión un momento. Conéctate e inténtalo de nuevo; lo que escribiste sigue en el formulario.",
  "error.WRONG_RECEIPT":
    "Ninguna denuncia coincide con este recibo. Compruebe cada dígito e inténtelo de nuevo; si lo pierde, no se puede recuperar.",
  "wb.required": "Responda a esta pregunta.",
  "wb.fixErrors": "Algunas respuestas requieren su atención: vea los campos resaltados.",
  "wb.blocked": "El envío está desactivado en esta página por su seguridad.",
  "wb.harmful":
    "Este tipo de archivo puede dañar los ordenadores de los destinatarios (puede ejecutar programas). Envíelo solo si es necesario; se enviará de todos modos.",
  "wb.tooManyFiles.one": "Este canal acepta como máximo {{max}} archivo en total. Quite alguno.",
  "wb.tooManyFiles.other": "Este canal acepta como máximo {{max}} archivos en total. Quite alguno.",
  "wb.fileTooLarge": "{{name}} supera los {{max}} que este canal acepta por archivo.",
  "wb.retrying": "Conexión perdida, reintentando…",
  "wb.step.keys": "Generando las claves de su recibo",
  "wb.step.pow": "Comprobación antispam",
  "wb.step.send": "Enviando su denuncia cifrada",
  "wb.step.upload": "Cifrando y enviando {{name}}",
} satisfies Catalogue
