// Machine-authored French sentences of the later pages: awaiting review by native speakers
// (README "Languages"). Keys and {{slots}} mirror later/en.ts; i18n/catalogues.test.ts checks both.
import type { LaterCatalogue } from "./en.js"

export default {
  "receipt.noneTitle": "Aucun reçu à afficher",
  "receipt.noneText": "Un reçu ne s'affiche qu'une fois, juste après l'envoi d'un signalement.",
  "receipt.noneLink": "Si vous avez le vôtre, connectez-vous avec.",
  "receipt.savedTitle": "Votre signalement est enregistré sur cet appareil",
  "receipt.sentTitle": "Votre signalement a été envoyé",
  "receipt.intro":
    "Voici votre reçu. Il vous permettra de lire les réponses et d'ajouter des informations plus tard.",
  "receipt.copy": "Copier le reçu",
  "receipt.keepSafe": "Conservez-le en lieu sûr.",
  "receipt.unsent":
    "Ces fichiers n'ont pas pu être envoyés : {{names}}. Vous pouvez les ajouter depuis votre signalement.",
  "receipt.proofTitle": "Preuve de dépôt",
  "receipt.proofText":
    "Un petit fichier contenant le nœud, le canal, l'heure, le numéro du signalement et le SHA-256 de vos fichiers. Il ne contient pas vos réponses.",
  "receipt.includeReceipt":
    "Inclure mon reçu dans le fichier (toute personne qui trouve le fichier pourra alors lire votre signalement)",
  "receipt.download": "Télécharger la preuve de dépôt",
  "receipt.continue": "Accéder à mon signalement",
  "return.intro": "Saisissez le reçu qui vous a été remis lors de l'envoi de votre signalement.",
  "return.label": "Reçu",
  "return.help": "Les espaces et les tirets n'ont pas d'importance.",
  "return.submit": "Se connecter",
  "tip.title": "Votre signalement",
  "tip.status": "État",
  "tip.notAcknowledged": "Pas encore pris en compte.",
  "tip.acknowledged": "Pris en compte le {{date}}.",
  "tip.identityDisclosed":
    "Votre identité a été communiquée à un destinataire, avec l'accord d'un dépositaire.",
  "tip.identityKept": "Votre identité n'a été communiquée à aucun destinataire.",
  "tip.received": "Reçu le {{created}} ; dernière activité : {{updated}}.",
  "tip.deleteOn":
    "Il sera supprimé le {{date}}, sauf si les destinataires le conservent plus longtemps.",
  "tip.messages": "Messages",
  "tip.files": "Fichiers",
  "tip.answers": "Vos réponses",
  "tip.logout": "Se déconnecter",
  "thread.none": "Aucun message pour l'instant.",
  "thread.unverified": "Expéditeur non vérifié",
  "thread.you": "Vous",
  "thread.recipient": "Destinataire",
  "thread.noFiles": "Aucun fichier.",
  "thread.incomplete": "incomplet",
  "thread.write": "Écrire aux destinataires",
  "thread.send": "Envoyer le message",
  "addFiles.full": "Ce signalement contient déjà autant de fichiers que son canal en accepte.",
  "addFiles.label": "Ajouter des fichiers",
  "addFiles.more.one": "Encore {{count}} au maximum.",
  "addFiles.more.other": "Encore {{count}} au maximum.",
  "addFiles.send": "Envoyer les fichiers",
  "entry.FORGED":
    "Ce message ne peut pas être vérifié (falsifié ou endommagé) : son contenu n'est pas affiché.",
  "entry.UNKNOWN_SIGNER":
    "Ce message est signé par une clé qui n'appartient à aucun participant de ce signalement.",
  "entry.AUTHOR_MISMATCH":
    "Le serveur attribue ce message à un autre auteur que celui indiqué par sa signature.",
  "entry.DUPLICATE": "Le serveur a livré ce message plusieurs fois ; ceci est une copie.",
  "entry.OUT_OF_ORDER":
    "Le serveur a livré ce message dans un ordre différent de celui de sa rédaction.",
  "entry.FORK":
    "Un autre message occupe la même place dans la conversation : écrit au même moment, ou inséré.",
  "entry.GAP": "Des messages manquent avant celui-ci : le serveur les a retenus.",
  "entry.UNSEEN":
    "Ceci a été écrit sans voir un message précédent de l'autre partie : écrit au même moment, ou le serveur a retenu ce message.",
  "entry.BROKEN_CHAIN":
    "Ce message ne fait pas suite au message précédent : la conversation a été modifiée.",
  "outbox.title": "Enregistré sur cet appareil",
  "outbox.none": "Aucun signalement n'attend d'être envoyé.",
  "outbox.item": "Signalement à {{name}}, enregistré le {{date}}",
  "outbox.files.one": "{{count}} fichier",
  "outbox.files.other": "{{count}} fichiers",
  "outbox.delete": "Supprimer",
  "outbox.deleteLabel": "Supprimer le signalement enregistré le {{date}}",
  "outbox.saved": "Enregistré sur cet appareil, il sera envoyé dès la connexion rétablie.",
  "outbox.notSent": "Pas encore envoyé.",
  "outbox.confirmed": "Confirmé : le nœud a reçu votre signalement.",
  "outbox.sending": "Envoi en cours…",
  "outbox.waiting": "En attente de connexion",
  "outbox.deleted":
    "Le signalement enregistré a été supprimé de cet appareil. Il ne sera pas envoyé.",
  "verify.title": "Vérifier le code que vous exécutez",
  "verify.intro":
    "Tout ce que vous saisissez est chiffré par du code que ce nœud envoie à votre navigateur. Chaque version officielle liste tous ses fichiers avec leur empreinte dans un manifeste signé par le projet Sotto.",
  "verify.notInstalled":
    "Ce navigateur n'a pas encore installé l'application : il n'y a donc aucune empreinte à afficher.",
  "verify.installed": "L'application de ce navigateur a été installée avec le manifeste du code",
  "verify.noManifest": "(aucun : le nœud n'a servi aucun manifeste)",
  "verify.signed": "Il est signé par une clé de publication de Sotto.",
  "verify.unsigned": "Il n'est PAS signé : version de développement non signée.",
  "verify.refused":
    "Ce nœud a proposé du code qui a échoué à la vérification de publication. Gardez cet onglet ouvert et prévenez l'organisation.",
  "verify.step1":
    "Comparez l'empreinte ci-dessus avec celle que publie l'organisation ou le projet Sotto.",
  "verify.step2":
    "Ou, depuis un ordinateur, lancez la commande ci-dessous (ajoutez --socks5 127.0.0.1:9050 pour une adresse onion) : elle vérifie chaque fichier et chaque en-tête par rapport au manifeste signé et indique ceux qui diffèrent.",
  "verify.step3":
    "L'application installée vérifie elle-même chaque mise à jour et affiche un avertissement rouge à la place d'une mise à jour dont le code n'est pas signé.",
  "verify.command": "npx sotto-verify <adresse de ce nœud>",
  "verify.firstVisit":
    "Lors d'une première visite depuis un navigateur neuf, il faut faire confiance au nœud, comme pour toute page web ; ces vérifications permettent de détecter une page substituée.",
  "wb.status.new": "Votre signalement est arrivé et attend d'être lu.",
  "wb.status.open": "Les destinataires traitent votre signalement.",
  "wb.status.closed":
    "Les destinataires ont clôturé ce signalement. Vous pouvez encore lire et écrire ici jusqu'à sa suppression.",
  "wb.receiptWarning":
    "Notez ce reçu ou conservez-le dès maintenant dans un gestionnaire de mots de passe. C'est le seul moyen de revenir à votre signalement et il ne peut pas être récupéré : personne, pas même les destinataires, ne peut le retrouver pour vous.",
  "wb.copied": "Reçu copié dans le presse-papiers.",
  "wb.copyFailed": "La copie n'a pas fonctionné ici : sélectionnez le reçu et copiez-le à la main.",
  "wb.commentSent": "Votre message a été envoyé.",
  "wb.fileSent": "{{name}} a été envoyé.",
  "wb.live": "Cette page se met à jour d'elle-même quand les destinataires répondent.",
} satisfies LaterCatalogue
