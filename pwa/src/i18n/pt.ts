// Machine-authored Portuguese catalogue: awaiting review by native speakers before production
// use (README "Languages"). Keys and {{slots}} mirror en.ts; i18n/catalogues.test.ts checks both.
import type { Catalogue } from "./en.js"

export default {
  "lang.label": "Idioma",
  "layout.skip": "Ir para o conteúdo",
  "layout.loading": "A carregar…",
  "layout.footer": "Sotto · tudo o que escreve é cifrado neste navegador",
  "layout.build": "versão {{build}}",
  "layout.unsigned": "versão de desenvolvimento não assinada",
  "layout.manifest": "manifesto do código {{hash}}",
  "layout.check": "verificar",
  "app.updateReady": "Está pronta uma nova versão —",
  "app.updateRefused":
    "Atenção: este nó serviu código não assinado. A versão que já tem continua a funcionar neste separador: mantenha-o aberto, não recarregue nem apague os dados desta aplicação, e avise a organização.",
  "landing.title": "Denuncie em segurança a {{name}}",
  "landing.intro":
    "O que escreve e os ficheiros que adiciona são cifrados neste navegador antes de saírem dele. Só as pessoas que recebem as denúncias os podem ler; este servidor não.",
  "landing.channels": "Escolha onde denunciar",
  "landing.noChannels": "Ainda não há nenhum canal de denúncia aberto.",
  "landing.reportTo": "Denunciar a {{name}}",
  "landing.backTitle": "Já fez uma denúncia?",
  "landing.backText": "Use o seu recibo para ler as respostas e acrescentar informação.",
  "landing.login": "Entrar com o seu recibo",
  "landing.staff": "Acesso da equipa",
  "landing.verify": "Verificar o código que está a executar",
  "key.title": "Verifique a chave deste nó",
  "key.unchecked": "Não foi possível verificar a chave deste nó.",
  "key.compare":
    "Compare estas palavras com as que a organização publica noutro local. Se forem diferentes, não denuncie aqui.",
  "key.qr": "Mostrar como código QR",
  "key.qrLabel": "A impressão digital da chave do nó como código QR",
  "report.title": "Denunciar a {{name}}",
  "report.readers":
    "Só {{names}} poderão ler a sua denúncia. As chaves foram verificadas com a assinatura deste nó.",
  "form.requiredNote": "As perguntas marcadas com * são obrigatórias; as outras são opcionais.",
  "form.maxFiles.one": "Pode anexar até {{count}} ficheiro.",
  "form.maxFiles.other": "Pode anexar até {{count}} ficheiros.",
  "form.noFiles": "Este canal não aceita ficheiros.",
  "form.attachments": "Anexos",
  "form.attachmentsHelp": "Documentos, fotografias ou outros ficheiros.",
  "form.optional": "(opcional)",
  "form.choose": "Escolha…",
  "form.send": "Enviar denúncia",
  "form.identityNote":
    "Sobre a sua identidade: é selada à parte. Só os custódios do canal a podem ler; um destinatário só a vê se um custódio aprovar o seu pedido por escrito, e a página da sua denúncia indica-lhe se isso aconteceu. Pode deixar em branco.",
  "file.list": "Ficheiros de {{label}}",
  "file.hashing": "A calcular o SHA-256… {{percent}}%",
  "file.remove": "Remover {{name}}",
  "file.unreadable": "Não foi possível ler este ficheiro. Remova-o e anexe-o novamente.",
  "outbox.offlineForm":
    "Está sem ligação. Ainda assim pode escrever a sua denúncia e anexar ficheiros: será cifrada, guardada neste dispositivo e enviada quando a ligação voltar.",
  "outbox.cachedForm":
    "Este formulário foi guardado antes neste dispositivo; as chaves dos destinatários foram então verificadas com a assinatura deste nó.",
  "outbox.sealing": "A cifrar {{name}} neste dispositivo",
  "outbox.storageRefused":
    "Este navegador não permite que a página guarde a denúncia neste dispositivo (modo privado ou sem espaço), por isso não pode ser guardada para mais tarde. Ligue-se à internet e envie-a novamente.",
  "outbox.noCopy":
    "Está sem ligação e este formulário nunca foi aberto neste dispositivo com ligação, por isso não pode ser preenchido agora. Abra-o uma vez com ligação.",
  "verify.howTo": "Como verificar o código",
  "error.NETWORK":
    "Não foi possível contactar o nó. Verifique a sua ligação (ou o Tor) e tente novamente; nada se perdeu.",
  "error.UNKNOWN": "Algo correu mal.",
  "error.FILE_CHANGED":
    "Um ficheiro foi alterado no seu dispositivo depois de o anexar, por isso não foi enviado. Remova-o e anexe-o novamente.",
  "error.WRONG_KEY": "Essa chave não abre isto. Verifique-a e tente novamente.",
  "error.TIP_NOT_BOUND":
    "O servidor entregou a esta página uma denúncia que não foi feita com o seu recibo: a assinatura não corresponde à chave que o seu recibo dá. Nada foi mostrado nem enviado. O servidor pode estar comprometido: não escreva nada aqui e contacte a organização por outra via.",
  "error.TAMPERED":
    "Estes dados foram alterados depois de cifrados, por isso não foram abertos. Avise a organização.",
  "error.RATE_LIMITED":
    "Demasiadas tentativas neste nó neste momento. Aguarde um minuto e tente novamente.",
  "error.QUOTA_EXCEEDED":
    "Esta denúncia já contém o máximo permitido. Não é possível acrescentar mais nada.",
  "error.INSUFFICIENT_STORAGE":
    "Este nó está com pouco espaço em disco e, por agora, não aceita nada novo. Tente mais tarde.",
  "error.BUDGET_EXCEEDED":
    "Este canal ou nó atingiu o seu limite por agora e não aceita nada novo. Tente mais tarde.",
  "error.SESSION_EXPIRED": "A sua sessão terminou. Entre novamente.",
  "error.UNAUTHENTICATED": "A sua sessão terminou. Entre novamente.",
  "error.FORBIDDEN": "Não tem permissão para fazer isto.",
  "error.NOT_FOUND": "Isto já não existe no nó (pode ter expirado ou ter sido apagado).",
  "error.BAD_POW": "A verificação anti-spam expirou. Envie novamente.",
  "error.BAD_RECEIPT_FORMAT":
    "Isso não é um recibo deste nó. Escreva-o exatamente como lhe foi mostrado (os espaços não importam).",
  "error.BAD_SIGNATURE":
    "A lista de destinatários deste canal não está assinada pela chave deste nó. Para sua segurança, nada foi enviado. Tente mais tarde e avise a organização por outra via.",
  "error.KEY_MISMATCH":
    "A lista de destinatários deste canal está assinada por uma chave diferente da deste nó. Para sua segurança, nada foi enviado. Tente mais tarde e avise a organização por outra via.",
  "error.BAD_DIRECTORY":
    "A lista de destinatários deste canal não pode ser verificada. Para sua segurança, nada foi enviado.",
  "error.WEAK_PARAMS":
    "O nó pediu parâmetros de derivação de chaves abaixo do seu mínimo assinado, o que tornaria uma palavra-passe mais fácil de adivinhar; nada foi feito.",
  "error.VALIDATION": "Parte do que foi enviado não é válido. Verifique os campos assinalados.",
  "error.CONFLICT": "Isto entra em conflito com algo já guardado. Recarregue e tente novamente.",
  "error.PAYLOAD_TOO_LARGE": "Isto é maior do que o nó aceita.",
  "error.NOT_SET_UP": "Este nó ainda não foi configurado.",
  "error.ABORTED": "Cancelado.",
  "error.NODE_KEY_CHANGED":
    "A chave de assinatura deste nó não é a que este navegador aceitou numa visita anterior. O servidor pode ter sido tomado, por isso, para sua segurança, nada foi enviado. Avise a organização por outra via.",
  "error.MANIFEST_STALE":
    "A descrição assinada deste nó é mais antiga do que uma que este navegador já viu: o servidor pode estar a repetir uma versão antiga. Para sua segurança, nada foi enviado. Avise a organização por outra via.",
  "error.MANIFEST_FORGED":
    "A descrição assinada deste nó não é válida com a sua chave: o servidor pode ter sido adulterado. Para sua segurança, nada foi enviado. Avise a organização por outra via.",
  "error.DIRECTORY_STALE":
    "A lista de destinatários deste canal é mais antiga do que uma que este navegador já viu: o servidor pode estar a repetir uma lista antiga (talvez com alguém que entretanto foi retirado). Para sua segurança, nada foi enviado. Avise a organização por outra via.",
  "error.DIRECTORY_EXPIRED":
    "A lista de destinatários deste canal expirou: a organização não a renovou. Para sua segurança, nada foi enviado. Tente mais tarde e avise a organização por outra via.",
  "error.COSTLY_PARAMS":
    "O nó pediu parâmetros de derivação de chaves acima do seu limite assinado (poderiam bloquear este dispositivo); nada foi feito.",
  "error.POW_OUT_OF_BOUNDS":
    "O nó pediu a este dispositivo uma verificação anti-spam fora dos limites que assinou (poderia mantê-lo ocupado durante horas ou dias). Para sua segurança, nada foi enviado. Tente mais tarde e avise a organização por outra via.",
  "error.DIRECTORY_CONTEXT":
    "A lista de destinatários servida para este canal pertence a outro canal. Para sua segurança, nada foi enviado. Tente mais tarde e avise a organização por outra via.",
  "error.NO_RECIPIENTS":
    "Este canal ainda não tem destinatários, por isso não é possível enviar-lhe uma denúncia. Tente mais tarde.",
  "error.HASH_MISMATCH": "Uma parte de um ficheiro chegou danificada; está a ser enviada de novo.",
  "error.INCOMPLETE_UPLOAD": "Um ficheiro não chegou completo. Envie-o novamente.",
  "error.NO_SESSION": "Entre primeiro com o seu recibo.",
  "error.OPRF_KEY_MISMATCH":
    "O servidor respondeu à verificação da senha ou do recibo com uma chave que este nó não assinou: ele pode ter sido tomado. Para sua segurança, nada derivado do que você digitou foi enviado. Não tente de novo; avise a organização por outro canal.",
  "error.OPRF_BAD_PROOF":
    "A resposta do servidor à verificação da senha ou do recibo chegou sem uma prova válida: ela pode ter sido adulterada. Para sua segurança, nada derivado do que você digitou foi enviado. Não tente de novo; avise a organização por outro canal.",
  "error.OPRF_DOWNGRADE":
    "O servidor pediu a este navegador uma forma mais antiga e mais fraca de verificar sua senha ou seu recibo do que a usada aqui antes: ele pode ter sido tomado. Para sua segurança, nada derivado do que você digitou foi enviado. Avise a organização por outro canal.",
  "error.OPRF_OFFLINE":
    "Este nó protege os recibos com uma verificação no servidor, então criar ou usar um recibo precisa de conexão por um momento. Conecte-se e tente de novo; o que você escreveu continua no formulário.",
  "error.WRONG_RECEIPT":
    "Nenhuma denúncia corresponde a este recibo. Verifique cada dígito e tente novamente; se o perder, não pode ser recuperado.",
  "wb.required": "Responda a esta pergunta.",
  "wb.fixErrors": "Algumas respostas precisam da sua atenção: veja os campos assinalados.",
  "wb.blocked": "O envio está desativado nesta página para sua segurança.",
  "wb.harmful":
    "Este tipo de ficheiro pode danificar os computadores dos destinatários (pode executar programas). Envie-o só se for necessário; será enviado na mesma.",
  "wb.tooManyFiles.one": "Este canal aceita no máximo {{max}} ficheiro no total. Remova alguns.",
  "wb.tooManyFiles.other": "Este canal aceita no máximo {{max}} ficheiros no total. Remova alguns.",
  "wb.fileTooLarge": "{{name}} excede os {{max}} que este canal aceita por ficheiro.",
  "wb.retrying": "Ligação perdida, a tentar novamente…",
  "wb.step.keys": "A criar as chaves do seu recibo",
  "wb.step.pow": "Verificação anti-spam",
  "wb.step.send": "A enviar a sua denúncia cifrada",
  "wb.step.upload": "A cifrar e enviar {{name}}",
} satisfies Catalogue
