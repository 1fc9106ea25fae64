// Machine-authored Portuguese sentences of the later pages: awaiting review by native speakers
// (README "Languages"). Keys and {{slots}} mirror later/en.ts; i18n/catalogues.test.ts checks both.
import type { LaterCatalogue } from "./en.js"

export default {
  "receipt.noneTitle": "Não há recibo para mostrar",
  "receipt.noneText": "O recibo só é mostrado uma vez, logo após o envio de uma denúncia.",
  "receipt.noneLink": "Se tem o seu, entre com ele.",
  "receipt.savedTitle": "A sua denúncia está guardada neste dispositivo",
  "receipt.sentTitle": "A sua denúncia foi enviada",
  "receipt.intro":
    "Este é o seu recibo. Vai precisar dele para ler as respostas e acrescentar informação mais tarde.",
  "receipt.copy": "Copiar o recibo",
  "receipt.keepSafe": "Guarde-o em segurança.",
  "receipt.unsent":
    "Não foi possível enviar estes ficheiros: {{names}}. Pode adicioná-los a partir da sua denúncia.",
  "receipt.proofTitle": "Comprovativo de envio",
  "receipt.proofText":
    "Um pequeno ficheiro com o nó, o canal, a hora, o número da denúncia e o SHA-256 dos seus ficheiros. Não contém as suas respostas.",
  "receipt.includeReceipt":
    "Incluir o meu recibo no ficheiro (quem encontrar o ficheiro poderá ler a sua denúncia)",
  "receipt.download": "Descarregar o comprovativo de envio",
  "receipt.continue": "Continuar para a minha denúncia",
  "return.intro": "Escreva o recibo que recebeu quando enviou a sua denúncia.",
  "return.label": "Recibo",
  "return.help": "Os espaços e os hífenes não importam.",
  "return.submit": "Entrar",
  "tip.title": "A sua denúncia",
  "tip.status": "Estado",
  "tip.notAcknowledged": "Ainda sem confirmação de receção.",
  "tip.acknowledged": "Receção confirmada em {{date}}.",
  "tip.identityDisclosed":
    "A sua identidade foi revelada a um destinatário, com a aprovação de um custódio.",
  "tip.identityKept": "A sua identidade não foi revelada a nenhum destinatário.",
  "tip.received": "Recebida em {{created}}; última atividade: {{updated}}.",
  "tip.deleteOn":
    "Será apagada em {{date}}, a menos que os destinatários a guardem durante mais tempo.",
  "tip.messages": "Mensagens",
  "tip.files": "Ficheiros",
  "tip.answers": "As suas respostas",
  "tip.logout": "Sair",
  "thread.none": "Ainda não há mensagens.",
  "thread.unverified": "Remetente não verificado",
  "thread.you": "Você",
  "thread.recipient": "Destinatário",
  "thread.noFiles": "Sem ficheiros.",
  "thread.incomplete": "incompleto",
  "thread.write": "Escrever aos destinatários",
  "thread.send": "Enviar mensagem",
  "addFiles.full": "Esta denúncia já tem tantos ficheiros quantos o seu canal aceita.",
  "addFiles.label": "Adicionar ficheiros",
  "addFiles.more.one": "Até mais {{count}}.",
  "addFiles.more.other": "Até mais {{count}}.",
  "addFiles.send": "Enviar ficheiros",
  "entry.FORGED":
    "Esta mensagem não pode ser verificada (falsificada ou danificada): o conteúdo não é mostrado.",
  "entry.UNKNOWN_SIGNER":
    "Esta mensagem está assinada por uma chave que não pertence a nenhum participante desta denúncia.",
  "entry.AUTHOR_MISMATCH":
    "O servidor atribui esta mensagem a um autor diferente do indicado pela assinatura.",
  "entry.DUPLICATE": "O servidor entregou esta mensagem mais de uma vez; esta é uma cópia.",
  "entry.OUT_OF_ORDER": "O servidor entregou esta mensagem fora da ordem em que foi escrita.",
  "entry.FORK":
    "Outra mensagem ocupa o mesmo lugar na conversa: escrita ao mesmo tempo, ou inserida.",
  "entry.GAP": "Faltam mensagens antes desta: o servidor reteve-as.",
  "entry.UNSEEN":
    "Isto foi escrito sem ver uma mensagem anterior da outra parte: escrito ao mesmo tempo, ou o servidor reteve essa mensagem.",
  "entry.BROKEN_CHAIN": "Esta mensagem não se segue à mensagem anterior: a conversa foi alterada.",
  "outbox.title": "Guardado neste dispositivo",
  "outbox.none": "Nenhuma denúncia está à espera de ser enviada.",
  "outbox.item": "Denúncia a {{name}}, guardada em {{date}}",
  "outbox.files.one": "{{count}} ficheiro",
  "outbox.files.other": "{{count}} ficheiros",
  "outbox.delete": "Apagar",
  "outbox.deleteLabel": "Apagar a denúncia guardada em {{date}}",
  "outbox.saved": "Guardada neste dispositivo; será enviada quando houver ligação.",
  "outbox.notSent": "Ainda não enviada.",
  "outbox.confirmed": "Confirmado: o nó recebeu a sua denúncia.",
  "outbox.sending": "A enviar…",
  "outbox.waiting": "À espera de ligação",
  "outbox.deleted": "A denúncia guardada foi apagada deste dispositivo. Não será enviada.",
  "verify.title": "Verificar o código que está a executar",
  "verify.intro":
    "Tudo o que escreve é cifrado por código que este nó envia ao seu navegador. Cada versão oficial lista todos os ficheiros com a sua impressão digital num manifesto assinado pelo projeto Sotto.",
  "verify.notInstalled":
    "Este navegador ainda não instalou a aplicação, por isso não há nenhum hash para mostrar.",
  "verify.installed": "A aplicação deste navegador foi instalada com o manifesto do código",
  "verify.noManifest": "(nenhum: o nó não serviu manifesto)",
  "verify.signed": "Está assinado por uma chave de versão do Sotto.",
  "verify.unsigned": "NÃO está assinado: versão de desenvolvimento não assinada.",
  "verify.refused":
    "Este nó ofereceu código que falhou a verificação de versão. Mantenha este separador aberto e avise a organização.",
  "verify.step1": "Compare o hash acima com o que a organização ou o projeto Sotto publica.",
  "verify.step2":
    "Ou, a partir de um computador, execute o comando abaixo (acrescente --socks5 127.0.0.1:9050 para um endereço onion): verifica cada ficheiro e cabeçalho com o manifesto assinado e indica quais diferem.",
  "verify.step3":
    "A aplicação instalada verifica ela própria cada atualização e mostra um aviso vermelho em vez de uma atualização cujo código não esteja assinado.",
  "verify.command": "npx sotto-verify <endereço deste nó>",
  "verify.firstVisit":
    "Numa primeira visita a partir de um navegador novo é preciso confiar no nó, como em qualquer página web; estas verificações permitem detetar uma página substituída.",
  "wb.status.new": "A sua denúncia chegou e aguarda leitura.",
  "wb.status.open": "Os destinatários estão a tratar da sua denúncia.",
  "wb.status.closed":
    "Os destinatários encerraram esta denúncia. Ainda pode ler e escrever aqui até ser apagada.",
  "wb.receiptWarning":
    "Anote este recibo ou guarde-o já num gestor de palavras-passe. É a única forma de voltar à sua denúncia e não pode ser recuperado: ninguém, nem mesmo os destinatários, o pode procurar por si.",
  "wb.copied": "Recibo copiado para a área de transferência.",
  "wb.copyFailed": "Não foi possível copiar aqui: selecione o recibo e copie-o manualmente.",
  "wb.commentSent": "A sua mensagem foi enviada.",
  "wb.fileSent": "{{name}} foi enviado.",
  "wb.live": "Esta página atualiza-se sozinha quando os destinatários respondem.",
} satisfies LaterCatalogue
