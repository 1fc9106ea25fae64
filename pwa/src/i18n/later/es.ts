// Machine-authored Spanish sentences of the later pages: awaiting review by native speakers
// (README "Languages"). Keys and {{slots}} mirror later/en.ts; i18n/catalogues.test.ts checks both.
import type { LaterCatalogue } from "./en.js"

export default {
  "receipt.noneTitle": "No hay ningún recibo que mostrar",
  "receipt.noneText": "El recibo se muestra una sola vez, justo después de enviar la denuncia.",
  "receipt.noneLink": "Si tiene el suyo, acceda con él.",
  "receipt.savedTitle": "Su denuncia está guardada en este dispositivo",
  "receipt.sentTitle": "Su denuncia se ha enviado",
  "receipt.intro":
    "Este es su recibo. Lo necesitará para leer las respuestas y añadir información más adelante.",
  "receipt.copy": "Copiar el recibo",
  "receipt.keepSafe": "Guárdelo en un lugar seguro.",
  "receipt.unsent":
    "No se han podido enviar estos archivos: {{names}}. Puede añadirlos desde su denuncia.",
  "receipt.proofTitle": "Justificante de envío",
  "receipt.proofText":
    "Un pequeño archivo con el nodo, el canal, la hora, el número de denuncia y el SHA-256 de sus archivos. No contiene sus respuestas.",
  "receipt.includeReceipt":
    "Incluir mi recibo en el archivo (cualquiera que encuentre el archivo podrá leer su denuncia)",
  "receipt.download": "Descargar el justificante de envío",
  "receipt.continue": "Ir a mi denuncia",
  "return.intro": "Escriba el recibo que recibió al enviar su denuncia.",
  "return.label": "Recibo",
  "return.help": "Los espacios y guiones no importan.",
  "return.submit": "Acceder",
  "tip.title": "Su denuncia",
  "tip.status": "Estado",
  "tip.notAcknowledged": "Aún no se ha acusado recibo.",
  "tip.acknowledged": "Recibo acusado el {{date}}.",
  "tip.identityDisclosed":
    "Su identidad se ha revelado a un destinatario, con la aprobación de un custodio.",
  "tip.identityKept": "Su identidad no se ha revelado a ningún destinatario.",
  "tip.received": "Recibida el {{created}}; última actividad: {{updated}}.",
  "tip.deleteOn":
    "Se eliminará el {{date}}, salvo que los destinatarios la conserven durante más tiempo.",
  "tip.messages": "Mensajes",
  "tip.files": "Archivos",
  "tip.answers": "Sus respuestas",
  "tip.logout": "Cerrar sesión",
  "thread.none": "Todavía no hay mensajes.",
  "thread.unverified": "Remitente no verificado",
  "thread.you": "Usted",
  "thread.recipient": "Destinatario",
  "thread.noFiles": "No hay archivos.",
  "thread.incomplete": "incompleto",
  "thread.write": "Escriba a los destinatarios",
  "thread.send": "Enviar mensaje",
  "addFiles.full": "Esta denuncia ya tiene todos los archivos que admite su canal.",
  "addFiles.label": "Añadir archivos",
  "addFiles.more.one": "Hasta {{count}} más.",
  "addFiles.more.other": "Hasta {{count}} más.",
  "addFiles.send": "Enviar archivos",
  "entry.FORGED":
    "Este mensaje no se puede verificar (falsificado o dañado): no se muestra su contenido.",
  "entry.UNKNOWN_SIGNER":
    "Este mensaje está firmado con una clave que no pertenece a ningún participante de esta denuncia.",
  "entry.AUTHOR_MISMATCH":
    "El servidor atribuye este mensaje a un autor distinto del que indica su firma.",
  "entry.DUPLICATE": "El servidor entregó este mensaje más de una vez; esta es una copia.",
  "entry.OUT_OF_ORDER": "El servidor entregó este mensaje fuera del orden en que se escribió.",
  "entry.FORK":
    "Otro mensaje ocupa el mismo lugar en la conversación: se escribió al mismo tiempo o se insertó.",
  "entry.GAP": "Faltan mensajes antes de este: el servidor los ha retenido.",
  "entry.UNSEEN":
    "Esto se escribió sin ver un mensaje anterior de la otra parte: se escribió al mismo tiempo, o el servidor retuvo ese mensaje.",
  "entry.BROKEN_CHAIN":
    "Este mensaje no sigue al mensaje anterior: la conversación ha sido alterada.",
  "outbox.title": "Guardado en este dispositivo",
  "outbox.none": "No hay ninguna denuncia pendiente de envío.",
  "outbox.item": "Denuncia a {{name}}, guardada el {{date}}",
  "outbox.files.one": "{{count}} archivo",
  "outbox.files.other": "{{count}} archivos",
  "outbox.delete": "Eliminar",
  "outbox.deleteLabel": "Eliminar la denuncia guardada el {{date}}",
  "outbox.saved": "Guardada en este dispositivo; se enviará cuando haya conexión.",
  "outbox.notSent": "Todavía no enviada.",
  "outbox.confirmed": "Confirmado: el nodo ha recibido su denuncia.",
  "outbox.sending": "Enviando…",
  "outbox.waiting": "Esperando conexión",
  "outbox.deleted": "La denuncia guardada se ha eliminado de este dispositivo. No se enviará.",
  "verify.title": "Comprobar el código que está ejecutando",
  "verify.intro":
    "Todo lo que escribe se cifra con código que este nodo envía a su navegador. Cada versión oficial enumera todos sus archivos con su huella en un manifiesto firmado por el proyecto Sotto.",
  "verify.notInstalled":
    "Este navegador aún no ha instalado la aplicación, así que no hay ningún hash que mostrar.",
  "verify.installed": "La aplicación de este navegador se instaló con el manifiesto de código",
  "verify.noManifest": "(ninguno: el nodo no sirvió manifiesto)",
  "verify.signed": "Está firmado con una clave de versión de Sotto.",
  "verify.unsigned": "NO está firmado: es una versión de desarrollo sin firmar.",
  "verify.refused":
    "Este nodo ofreció código que no superó la comprobación de versión. Mantenga esta pestaña abierta y avise a la organización.",
  "verify.step1":
    "Compare el hash de arriba con el que publica la organización o el proyecto Sotto.",
  "verify.step2":
    "O bien, desde un ordenador, ejecute la orden siguiente (añada --socks5 127.0.0.1:9050 para una dirección onion): comprueba cada archivo y cabecera con el manifiesto firmado e indica cuáles difieren.",
  "verify.step3":
    "La aplicación instalada comprueba ella misma cada actualización y muestra un aviso rojo en lugar de una actualización cuyo código no esté firmado.",
  "verify.command": "npx sotto-verify <dirección de este nodo>",
  "verify.firstVisit":
    "En una primera visita desde un navegador nuevo hay que confiar en el nodo, como con cualquier página web; estas comprobaciones permiten detectar una página suplantada.",
  "wb.status.new": "Su denuncia ha llegado y está pendiente de lectura.",
  "wb.status.open": "Los destinatarios están trabajando en su denuncia.",
  "wb.status.closed":
    "Los destinatarios han cerrado esta denuncia. Puede seguir leyendo y escribiendo aquí hasta que se elimine.",
  "wb.receiptWarning":
    "Apunte este recibo o guárdelo ahora en un gestor de contraseñas. Es la única forma de volver a su denuncia y no se puede recuperar: nadie, ni siquiera los destinatarios, puede buscarlo por usted.",
  "wb.copied": "Recibo copiado al portapapeles.",
  "wb.copyFailed": "Aquí no se ha podido copiar: seleccione el recibo y cópielo a mano.",
  "wb.commentSent": "Su mensaje se ha enviado.",
  "wb.fileSent": "{{name}} se ha enviado.",
  "wb.live": "Esta página se actualiza sola cuando los destinatarios responden.",
} satisfies LaterCatalogue
