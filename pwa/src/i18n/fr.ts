// Machine-authored French catalogue: awaiting review by native speakers before production use
// (README "Languages"). Keys and {{slots}} mirror en.ts; i18n/catalogues.test.ts checks both.
import type { Catalogue } from "./en.js"

export default {
  "lang.label": "Langue",
  "layout.skip": "Aller au contenu",
  "layout.loading": "Chargement…",
  "layout.footer": "Sotto · tout ce que vous saisissez est chiffré dans ce navigateur",
  "layout.build": "version {{build}}",
  "layout.unsigned": "version de développement non signée",
  "layout.manifest": "manifeste du code {{hash}}",
  "layout.check": "le vérifier",
  "app.updateReady": "Une nouvelle version est prête —",
  "app.updateRefused":
    "Attention : ce nœud a servi du code non signé. La version que vous avez déjà continue de fonctionner dans cet onglet : gardez-le ouvert, ne rechargez pas et n'effacez pas les données de cette application, et prévenez l'organisation.",
  "landing.title": "Signaler en toute sécurité à {{name}}",
  "landing.intro":
    "Ce que vous écrivez et les fichiers que vous ajoutez sont chiffrés dans ce navigateur avant de le quitter. Seules les personnes qui reçoivent les signalements peuvent les lire ; ce serveur ne le peut pas.",
  "landing.channels": "Choisissez où signaler",
  "landing.noChannels": "Aucun canal de signalement n'est encore ouvert.",
  "landing.reportTo": "Signaler à {{name}}",
  "landing.backTitle": "Vous avez déjà fait un signalement ?",
  "landing.backText": "Utilisez votre reçu pour lire les réponses et ajouter des informations.",
  "landing.login": "Se connecter avec votre reçu",
  "landing.staff": "Connexion du personnel",
  "landing.verify": "Vérifier le code que vous exécutez",
  "key.title": "Vérifiez la clé de ce nœud",
  "key.unchecked": "La clé de ce nœud n'a pas pu être vérifiée.",
  "key.compare":
    "Comparez ces mots avec ceux que l'organisation publie ailleurs. S'ils diffèrent, ne faites pas de signalement ici.",
  "key.qr": "Afficher sous forme de code QR",
  "key.qrLabel": "L'empreinte de la clé du nœud sous forme de code QR",
  "report.title": "Signaler à {{name}}",
  "report.readers":
    "Seuls {{names}} pourront lire votre signalement. Leurs clés ont été vérifiées avec la signature de ce nœud.",
  "form.requiredNote":
    "Les questions marquées d'un * sont obligatoires ; les autres sont facultatives.",
  "form.maxFiles.one": "Vous pouvez joindre jusqu'à {{count}} fichier.",
  "form.maxFiles.other": "Vous pouvez joindre jusqu'à {{count}} fichiers.",
  "form.noFiles": "Ce canal n'accepte pas de fichiers.",
  "form.attachments": "Pièces jointes",
  "form.attachmentsHelp": "Documents, photos ou autres fichiers.",
  "form.optional": "(facultatif)",
  "form.choose": "Choisissez…",
  "form.send": "Envoyer le signalement",
  "form.identityNote":
    "À propos de votre identité : elle est scellée à part. Seuls les dépositaires du canal peuvent la lire ; un destinataire ne la voit que si un dépositaire approuve sa demande écrite, et la page de votre signalement vous l'indique le cas échéant. Vous pouvez laisser ce champ vide.",
  "file.list": "Fichiers pour {{label}}",
  "file.hashing": "Calcul du SHA-256… {{percent}} %",
  "file.remove": "Retirer {{name}}",
  "file.unreadable": "Ce fichier n'a pas pu être lu. Retirez-le et joignez-le à nouveau.",
  "outbox.offlineForm":
    "Vous êtes hors ligne. Vous pouvez quand même rédiger votre signalement et joindre des fichiers : il sera chiffré, enregistré sur cet appareil et envoyé au retour de la connexion.",
  "outbox.cachedForm":
    "Ce formulaire a été enregistré plus tôt sur cet appareil ; les clés de ses destinataires ont alors été vérifiées avec la signature de ce nœud.",
  "outbox.sealing": "Chiffrement de {{name}} sur cet appareil",
  "outbox.storageRefused":
    "Ce navigateur ne permet pas à la page d'enregistrer le signalement sur cet appareil (navigation privée ou espace insuffisant) : il ne peut pas être conservé pour plus tard. Connectez-vous à Internet et envoyez-le à nouveau.",
  "outbox.noCopy":
    "Vous êtes hors ligne et ce formulaire n'a jamais été ouvert en ligne sur cet appareil : il ne peut pas être rempli maintenant. Ouvrez-le une fois avec une connexion.",
  "verify.howTo": "Comment vérifier le code",
  "error.NETWORK":
    "Le nœud est injoignable. Vérifiez votre connexion (ou Tor) et réessayez ; rien n'a été perdu.",
  "error.UNKNOWN": "Une erreur s'est produite.",
  "error.FILE_CHANGED":
    "Un fichier a changé sur votre appareil après l'avoir joint : il n'a donc pas été envoyé. Retirez-le et joignez-le à nouveau.",
  "error.WRONG_KEY": "Cette clé n'ouvre pas ceci. Vérifiez-la et réessayez.",
  "error.TIP_NOT_BOUND":
    "Le serveur a transmis à cette page un signalement qui n'a pas été fait avec votre reçu : sa signature ne correspond pas à la clé donnée par votre reçu. Rien n'a été affiché ni envoyé. Le serveur est peut-être compromis : n'écrivez rien ici et contactez l'organisation par un autre moyen.",
  "error.TAMPERED":
    "Ces données ont été modifiées après leur chiffrement : elles n'ont donc pas été ouvertes. Prévenez l'organisation.",
  "error.RATE_LIMITED":
    "Trop de tentatives sur ce nœud en ce moment. Attendez une minute et réessayez.",
  "error.QUOTA_EXCEEDED":
    "Ce signalement contient déjà le maximum autorisé. Plus rien ne peut y être ajouté.",
  "error.INSUFFICIENT_STORAGE":
    "Ce nœud manque d'espace disque et n'accepte rien de nouveau pour l'instant. Réessayez plus tard.",
  "error.BUDGET_EXCEEDED":
    "Ce canal ou ce nœud a atteint sa limite pour l'instant et n'accepte rien de nouveau. Réessayez plus tard.",
  "error.SESSION_EXPIRED": "Votre session a pris fin. Veuillez vous reconnecter.",
  "error.UNAUTHENTICATED": "Votre session a pris fin. Veuillez vous reconnecter.",
  "error.FORBIDDEN": "Vous n'êtes pas autorisé à faire ceci.",
  "error.NOT_FOUND": "Ceci n'existe plus sur le nœud (il a peut-être expiré ou été supprimé).",
  "error.BAD_POW": "La vérification anti-spam a expiré. Veuillez renvoyer.",
  "error.BAD_RECEIPT_FORMAT":
    "Ce n'est pas un reçu de ce nœud. Saisissez-le exactement tel qu'il vous a été affiché (les espaces n'ont pas d'importance).",
  "error.BAD_SIGNATURE":
    "La liste des destinataires de ce canal n'est pas signée par la clé de ce nœud. Pour votre sécurité, rien n'a été envoyé. Réessayez plus tard et prévenez l'organisation par un autre moyen.",
  "error.KEY_MISMATCH":
    "La liste des destinataires de ce canal est signée par une autre clé que celle de ce nœud. Pour votre sécurité, rien n'a été envoyé. Réessayez plus tard et prévenez l'organisation par un autre moyen.",
  "error.BAD_DIRECTORY":
    "La liste des destinataires de ce canal ne peut pas être vérifiée. Pour votre sécurité, rien n'a été envoyé.",
  "error.WEAK_PARAMS":
    "Le nœud a demandé des paramètres de dérivation de clé inférieurs à son minimum signé, ce qui rendrait un mot de passe plus facile à deviner ; rien n'a été fait.",
  "error.VALIDATION":
    "Une partie de ce qui a été envoyé n'est pas valide. Vérifiez les champs signalés.",
  "error.CONFLICT":
    "Ceci entre en conflit avec quelque chose déjà enregistré. Rechargez et réessayez.",
  "error.PAYLOAD_TOO_LARGE": "C'est plus volumineux que ce que le nœud accepte.",
  "error.NOT_SET_UP": "Ce nœud n'a pas encore été configuré.",
  "error.ABORTED": "Annulé.",
  "error.NODE_KEY_CHANGED":
    "La clé de signature de ce nœud n'est pas celle que ce navigateur a approuvée lors d'une visite précédente. Le serveur a peut-être été pris en main ; pour votre sécurité, rien n'a été envoyé. Prévenez l'organisation par un autre moyen.",
  "error.MANIFEST_STALE":
    "La description signée de ce nœud est plus ancienne qu'une autre déjà vue par ce navigateur : le serveur rejoue peut-être une ancienne version. Pour votre sécurité, rien n'a été envoyé. Prévenez l'organisation par un autre moyen.",
  "error.MANIFEST_FORGED":
    "La description signée de ce nœud ne se vérifie pas avec sa clé : le serveur a peut-être été manipulé. Pour votre sécurité, rien n'a été envoyé. Prévenez l'organisation par un autre moyen.",
  "error.DIRECTORY_STALE":
    "La liste des destinataires de ce canal est plus ancienne qu'une autre déjà vue par ce navigateur : le serveur rejoue peut-être une ancienne liste (avec peut-être une personne retirée depuis). Pour votre sécurité, rien n'a été envoyé. Prévenez l'organisation par un autre moyen.",
  "error.DIRECTORY_EXPIRED":
    "La liste des destinataires de ce canal a expiré : l'organisation ne l'a pas renouvelée. Pour votre sécurité, rien n'a été envoyé. Réessayez plus tard et prévenez l'organisation par un autre moyen.",
  "error.COSTLY_PARAMS":
    "Le nœud a demandé des paramètres de dérivation de clé supérieurs à sa limite signée (ils pourraient bloquer cet appareil) ; rien n'a été fait.",
  "error.POW_OUT_OF_BOUNDS":
    "Le nœud a demandé à cet appareil une vérification anti-spam hors des limites qu'il a signées (elle pourrait l'occuper pendant des heures, voire des jours). Pour votre sécurité, rien n'a été envoyé. Réessayez plus tard et prévenez l'organisation par un autre moyen.",
  "error.DIRECTORY_CONTEXT":
    "La liste des destinataires servie pour ce canal appartient à un autre canal. Pour votre sécurité, rien n'a été envoyé. Réessayez plus tard et prévenez l'organisation par un autre moyen.",
  "error.NO_RECIPIENTS":
    "Ce canal n'a pas encore de destinataires : aucun signalement ne peut lui être envoyé. Réessayez plus tard.",
  "error.HASH_MISMATCH": "Une partie d'un fichier est arrivée endommagée ; elle est renvoyée.",
  "error.INCOMPLETE_UPLOAD": "Un fichier n'est pas arrivé en entier. Renvoyez-le.",
  "error.NO_SESSION": "Connectez-vous d'abord avec votre reçu.",
  "error.OPRF_KEY_MISMATCH":
    "Le serveur a répondu à la vérification du mot de passe ou du reçu avec une clé que ce nœud n'a pas signée : il a peut-être été compromis. Pour votre sécurité, rien de ce qui découle de votre saisie n'a été envoyé. Ne réessayez pas ; prévenez l'organisation par un autre canal.",
  "error.OPRF_BAD_PROOF":
    "La réponse du serveur à la vérification du mot de passe ou du reçu est arrivée sans preuve valide : elle a peut-être été falsifiée. Pour votre sécurité, rien de ce qui découle de votre saisie n'a été envoyé. Ne réessayez pas ; prévenez l'organisation par un autre canal.",
  "error.OPRF_DOWNGRADE":
    "Le serveur a demandé à ce navigateur une méthode plus ancienne et plus faible de vérifier votre mot de passe ou votre reçu que celle utilisée ici auparavant : il a peut-être été compromis. Pour votre sécurité, rien de ce qui découle de votre saisie n'a été envoyé. Prévenez l'organisation par un autre canal.",
  "error.OPRF_OFFLINE":
    "Ce nœud protège les reçus par une vérification sur le serveur : créer ou utiliser un reçu demande un instant de connexion. Connectez-vous et réessayez ; ce que vous avez écrit est toujours dans le formulaire.",
  "error.WRONG_RECEIPT":
    "Aucun signalement ne correspond à ce reçu. Vérifiez chaque chiffre et réessayez ; un reçu perdu ne peut pas être récupéré.",
  "wb.required": "Veuillez répondre à cette question.",
  "wb.fixErrors": "Certaines réponses demandent votre attention : voir les champs signalés.",
  "wb.blocked": "L'envoi est désactivé sur cette page pour votre sécurité.",
  "wb.harmful":
    "Ce type de fichier peut nuire aux ordinateurs des destinataires (il peut lancer des programmes). Ne l'envoyez que si c'est nécessaire ; il sera tout de même envoyé.",
  "wb.tooManyFiles.one":
    "Ce canal accepte au plus {{max}} fichier au total. Retirez-en quelques-uns.",
  "wb.tooManyFiles.other":
    "Ce canal accepte au plus {{max}} fichiers au total. Retirez-en quelques-uns.",
  "wb.fileTooLarge": "{{name}} dépasse les {{max}} que ce canal accepte par fichier.",
  "wb.retrying": "Connexion perdue, nouvelle tentative…",
  "wb.step.keys": "Création des clés de votre reçu",
  "wb.step.pow": "Vérification anti-spam",
  "wb.step.send": "Envoi de votre signalement chiffré",
  "wb.step.upload": "Chiffrement et envoi de {{name}}",
} satisfies Catalogue
