// Machine-authored Turkish sentences of the later pages: awaiting review by native speakers
// (README "Languages"). Keys and {{slots}} mirror later/en.ts; i18n/catalogues.test.ts checks both.
import type { LaterCatalogue } from "./en.js"

export default {
  "receipt.noneTitle": "Gösterilecek makbuz yok",
  "receipt.noneText": "Makbuz, bildirim gönderildikten hemen sonra yalnızca bir kez gösterilir.",
  "receipt.noneLink": "Makbuzunuz varsa onunla giriş yapın.",
  "receipt.savedTitle": "Bildiriminiz bu cihazda kaydedildi",
  "receipt.sentTitle": "Bildiriminiz gönderildi",
  "receipt.intro":
    "Bu sizin makbuzunuz. Yanıtları okumak ve daha sonra bilgi eklemek için ona ihtiyacınız olacak.",
  "receipt.copy": "Makbuzu kopyala",
  "receipt.keepSafe": "Güvenli bir yerde saklayın.",
  "receipt.unsent":
    "Şu dosyalar gönderilemedi: {{names}}. Onları bildiriminizden ekleyebilirsiniz.",
  "receipt.proofTitle": "Gönderim kanıtı",
  "receipt.proofText":
    "Düğümü, kanalı, zamanı, bildirim numarasını ve dosyalarınızın SHA-256 değerini içeren küçük bir dosya. Yanıtlarınızı içermez.",
  "receipt.includeReceipt":
    "Makbuzumu dosyaya ekle (dosyayı bulan herkes bildiriminizi okuyabilir)",
  "receipt.download": "Gönderim kanıtını indir",
  "receipt.continue": "Bildirimime devam et",
  "return.intro": "Bildiriminizi gönderirken size verilen makbuzu yazın.",
  "return.label": "Makbuz",
  "return.help": "Boşluklar ve tireler önemli değildir.",
  "return.submit": "Giriş yap",
  "tip.title": "Bildiriminiz",
  "tip.status": "Durum",
  "tip.notAcknowledged": "Henüz alındığı onaylanmadı.",
  "tip.acknowledged": "{{date}} tarihinde alındığı onaylandı.",
  "tip.identityDisclosed": "Kimliğiniz, bir emanetçinin onayıyla bir alıcıya açıklandı.",
  "tip.identityKept": "Kimliğiniz hiçbir alıcıya açıklanmadı.",
  "tip.received": "{{created}} tarihinde alındı; son etkinlik: {{updated}}.",
  "tip.deleteOn": "Alıcılar daha uzun süre saklamazsa {{date}} tarihinde silinecek.",
  "tip.messages": "Mesajlar",
  "tip.files": "Dosyalar",
  "tip.answers": "Yanıtlarınız",
  "tip.logout": "Çıkış yap",
  "thread.none": "Henüz mesaj yok.",
  "thread.unverified": "Doğrulanmamış gönderen",
  "thread.you": "Siz",
  "thread.recipient": "Alıcı",
  "thread.noFiles": "Dosya yok.",
  "thread.incomplete": "eksik",
  "thread.write": "Alıcılara yazın",
  "thread.send": "Mesajı gönder",
  "addFiles.full": "Bu bildirim, kanalının kabul ettiği kadar dosyaya sahip.",
  "addFiles.label": "Dosya ekle",
  "addFiles.more.one": "En fazla {{count}} dosya daha.",
  "addFiles.more.other": "En fazla {{count}} dosya daha.",
  "addFiles.send": "Dosyaları gönder",
  "entry.FORGED": "Bu mesaj doğrulanamıyor (sahte veya bozuk): içeriği gösterilmiyor.",
  "entry.UNKNOWN_SIGNER":
    "Bu mesaj, bu bildirimin katılımcılarından birine ait olmayan bir anahtarla imzalanmış.",
  "entry.AUTHOR_MISMATCH": "Sunucu bu mesajın yazarını imzasında görünenden farklı gösteriyor.",
  "entry.DUPLICATE": "Sunucu bu mesajı birden fazla kez iletti; bu bir kopya.",
  "entry.OUT_OF_ORDER": "Sunucu bu mesajı yazıldığı sıranın dışında iletti.",
  "entry.FORK":
    "Başka bir mesaj konuşmada aynı yeri iddia ediyor: aynı anda yazılmış ya da araya eklenmiş.",
  "entry.GAP": "Bu mesajdan önce eksik mesajlar var: sunucu onları alıkoydu.",
  "entry.UNSEEN":
    "Bu, diğer tarafın önceki bir mesajı görülmeden yazıldı: aynı anda yazılmış ya da sunucu o mesajı alıkoymuş.",
  "entry.BROKEN_CHAIN": "Bu mesaj bir önceki mesajın devamı değil: konuşma değiştirilmiş.",
  "outbox.title": "Bu cihazda kayıtlı",
  "outbox.none": "Gönderilmeyi bekleyen bildirim yok.",
  "outbox.item": "{{name}} kanalına bildirim, {{date}} tarihinde kaydedildi",
  "outbox.files.one": "{{count}} dosya",
  "outbox.files.other": "{{count}} dosya",
  "outbox.delete": "Sil",
  "outbox.deleteLabel": "{{date}} tarihinde kaydedilen bildirimi sil",
  "outbox.saved": "Bu cihazda kaydedildi, bağlantı olduğunda gönderilecek.",
  "outbox.notSent": "Henüz gönderilmedi.",
  "outbox.confirmed": "Onaylandı: düğüm bildiriminizi aldı.",
  "outbox.sending": "Gönderiliyor…",
  "outbox.waiting": "Bağlantı bekleniyor",
  "outbox.deleted": "Kaydedilen bildirim bu cihazdan silindi. Gönderilmeyecek.",
  "verify.title": "Çalıştırdığınız kodu doğrulayın",
  "verify.intro":
    "Yazdığınız her şey, bu düğümün tarayıcınıza gönderdiği kodla şifrelenir. Her resmî sürüm, tüm dosyalarını parmak izleriyle birlikte Sotto projesinin imzaladığı bir bildirimde listeler.",
  "verify.notInstalled":
    "Bu tarayıcı uygulamayı henüz yüklemedi; bu yüzden gösterilecek bir özet yok.",
  "verify.installed": "Bu tarayıcıdaki uygulama şu kod bildirimiyle yüklendi:",
  "verify.noManifest": "(yok: düğüm bildirim sunmadı)",
  "verify.signed": "Bir Sotto sürüm anahtarıyla imzalı.",
  "verify.unsigned": "İmzalı DEĞİL: imzasız bir geliştirme sürümü.",
  "verify.refused":
    "Bu düğüm, sürüm denetiminden geçemeyen kod sundu. Bu sekmeyi açık tutun ve kuruluşa haber verin.",
  "verify.step1": "Yukarıdaki özeti, kuruluşun veya Sotto projesinin yayımladığıyla karşılaştırın.",
  "verify.step2":
    "Ya da bir bilgisayarda aşağıdaki komutu çalıştırın (onion adresi için --socks5 127.0.0.1:9050 ekleyin): her dosyayı ve başlığı imzalı bildirimle karşılaştırır ve hangilerinin farklı olduğunu söyler.",
  "verify.step3":
    "Yüklü uygulama her güncellemeyi kendisi denetler ve kodu imzasız bir güncelleme yerine kırmızı bir uyarı gösterir.",
  "verify.command": "npx sotto-verify <bu düğümün adresi>",
  "verify.firstVisit":
    "Yeni bir tarayıcıdan ilk ziyarette, her web sayfasında olduğu gibi düğüme güvenmek gerekir; bu denetimler değiştirilmiş bir sayfanın fark edilmesini sağlar.",
  "wb.status.new": "Bildiriminiz ulaştı ve okunmayı bekliyor.",
  "wb.status.open": "Alıcılar bildiriminiz üzerinde çalışıyor.",
  "wb.status.closed":
    "Alıcılar bu bildirimi kapattı. Silinene kadar burada okumaya ve yazmaya devam edebilirsiniz.",
  "wb.receiptWarning":
    "Bu makbuzu şimdi not alın veya bir parola yöneticisinde saklayın. Bildiriminize dönmenin tek yolu budur ve kurtarılamaz: kimse, alıcılar bile, onu sizin için bulamaz.",
  "wb.copied": "Makbuz panoya kopyalandı.",
  "wb.copyFailed": "Burada kopyalama çalışmadı: makbuzu seçip elle kopyalayın.",
  "wb.commentSent": "Mesajınız gönderildi.",
  "wb.fileSent": "{{name}} gönderildi.",
  "wb.live": "Alıcılar yanıt verdiğinde bu sayfa kendiliğinden güncellenir.",
} satisfies LaterCatalogue
