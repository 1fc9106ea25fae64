// Machine-authored Turkish catalogue: awaiting review by native speakers before production use
// (README "Languages"). Keys and {{slots}} mirror en.ts; i18n/catalogues.test.ts checks both.
import type { Catalogue } from "./en.js"

export default {
  "lang.label": "Dil",
  "layout.skip": "İçeriğe geç",
  "layout.loading": "Yükleniyor…",
  "layout.footer": "Sotto · yazdığınız her şey bu tarayıcıda şifrelenir",
  "layout.build": "sürüm {{build}}",
  "layout.unsigned": "imzasız geliştirme sürümü",
  "layout.manifest": "kod bildirimi {{hash}}",
  "layout.check": "doğrulayın",
  "app.updateReady": "Yeni bir sürüm hazır —",
  "app.updateRefused":
    "Uyarı: bu düğüm imzasız kod sundu. Elinizdeki sürüm bu sekmede çalışmaya devam ediyor: sekmeyi açık tutun, sayfayı yenilemeyin ve bu uygulamanın verilerini silmeyin; kuruluşa haber verin.",
  "landing.title": "{{name}} kuruluşuna güvenle bildirin",
  "landing.intro":
    "Yazdıklarınız ve eklediğiniz dosyalar bu tarayıcıdan çıkmadan önce burada şifrelenir. Onları yalnızca bildirimleri alan kişiler okuyabilir; bu sunucu okuyamaz.",
  "landing.channels": "Nereye bildireceğinizi seçin",
  "landing.noChannels": "Henüz açık bir bildirim kanalı yok.",
  "landing.reportTo": "{{name}} kanalına bildir",
  "landing.backTitle": "Daha önce bildirimde bulundunuz mu?",
  "landing.backText": "Yanıtları okumak ve bilgi eklemek için makbuzunuzu kullanın.",
  "landing.login": "Makbuzunuzla giriş yapın",
  "landing.staff": "Personel girişi",
  "landing.verify": "Çalıştırdığınız kodu doğrulayın",
  "key.title": "Bu düğümün anahtarını doğrulayın",
  "key.unchecked": "Bu düğümün anahtarı doğrulanamadı.",
  "key.compare":
    "Bu kelimeleri kuruluşun başka bir yerde yayımladıklarıyla karşılaştırın. Farklıysa burada bildirimde bulunmayın.",
  "key.qr": "QR kodu olarak göster",
  "key.qrLabel": "Düğüm anahtarının parmak izi, QR kodu olarak",
  "report.title": "{{name}} kanalına bildir",
  "report.readers":
    "Bildiriminizi yalnızca {{names}} okuyabilecek. Anahtarları bu düğümün imzasıyla doğrulandı.",
  "form.requiredNote":
    "* ile işaretli soruların yanıtlanması zorunludur; diğerleri isteğe bağlıdır.",
  "form.maxFiles.one": "En fazla {{count}} dosya ekleyebilirsiniz.",
  "form.maxFiles.other": "En fazla {{count}} dosya ekleyebilirsiniz.",
  "form.noFiles": "Bu kanal dosya kabul etmiyor.",
  "form.attachments": "Ekler",
  "form.attachmentsHelp": "Belgeler, fotoğraflar veya başka dosyalar.",
  "form.optional": "(isteğe bağlı)",
  "form.choose": "Seçin…",
  "form.send": "Bildirimi gönder",
  "form.identityNote":
    "Kimliğiniz hakkında: ayrıca mühürlenir. Yalnızca kanalın emanetçileri okuyabilir; bir alıcı onu ancak bir emanetçi yazılı talebini onaylarsa görür ve bildirim sayfanız bunun olup olmadığını size söyler. Boş bırakabilirsiniz.",
  "file.list": "{{label}} için dosyalar",
  "file.hashing": "SHA-256 hesaplanıyor… %{{percent}}",
  "file.remove": "{{name}} dosyasını kaldır",
  "file.unreadable": "Bu dosya okunamadı. Kaldırıp yeniden ekleyin.",
  "outbox.offlineForm":
    "Çevrimdışısınız. Yine de bildiriminizi yazıp dosya ekleyebilirsiniz: şifrelenecek, bu cihazda kaydedilecek ve bağlantı geri geldiğinde gönderilecek.",
  "outbox.cachedForm":
    "Bu form daha önce bu cihazda kaydedildi; alıcılarının anahtarları o sırada bu düğümün imzasıyla doğrulandı.",
  "outbox.sealing": "{{name}} bu cihazda şifreleniyor",
  "outbox.storageRefused":
    "Bu tarayıcı, sayfanın bildirimi bu cihaza kaydetmesine izin vermiyor (gizli mod veya yer yok); bu yüzden sonraya saklanamaz. İnternete bağlanın ve yeniden gönderin.",
  "outbox.noCopy":
    "Çevrimdışısınız ve bu form bu cihazda hiç çevrimiçiyken açılmadı; bu yüzden şimdi doldurulamaz. Bir kez bağlantı varken açın.",
  "verify.howTo": "Kod nasıl doğrulanır",
  "error.NETWORK":
    "Düğüme ulaşılamadı. Bağlantınızı (veya Tor'u) kontrol edip yeniden deneyin; hiçbir şey kaybolmadı.",
  "error.UNKNOWN": "Bir şeyler ters gitti.",
  "error.FILE_CHANGED":
    "Bir dosya siz ekledikten sonra cihazınızda değişti, bu yüzden gönderilmedi. Kaldırıp yeniden ekleyin.",
  "error.WRONG_KEY": "Bu anahtar bunu açmıyor. Kontrol edip yeniden deneyin.",
  "error.TIP_NOT_BOUND":
    "Sunucu bu sayfaya makbuzunuzla oluşturulmamış bir bildirim verdi: imzası makbuzunuzun verdiği anahtarla eşleşmiyor. Hiçbir şey gösterilmedi ve gönderilmedi. Sunucu ele geçirilmiş olabilir: buraya hiçbir şey yazmayın ve kuruluşa başka bir yoldan ulaşın.",
  "error.TAMPERED":
    "Bu veri şifrelendikten sonra değiştirildi, bu yüzden açılmadı. Kuruluşa haber verin.",
  "error.RATE_LIMITED":
    "Şu anda bu düğümde çok fazla deneme var. Bir dakika bekleyip yeniden deneyin.",
  "error.QUOTA_EXCEEDED": "Bu bildirim alabileceği kadarını aldı. Artık bir şey eklenemez.",
  "error.INSUFFICIENT_STORAGE":
    "Bu düğümde disk alanı azaldı ve şimdilik yeni bir şey kabul etmiyor. Daha sonra yeniden deneyin.",
  "error.BUDGET_EXCEEDED":
    "Bu kanal veya düğüm şimdilik sınırına ulaştı ve yeni bir şey kabul etmiyor. Daha sonra yeniden deneyin.",
  "error.SESSION_EXPIRED": "Oturumunuz sona erdi. Lütfen yeniden giriş yapın.",
  "error.UNAUTHENTICATED": "Oturumunuz sona erdi. Lütfen yeniden giriş yapın.",
  "error.FORBIDDEN": "Bunu yapmaya yetkiniz yok.",
  "error.NOT_FOUND": "Bu artık düğümde yok (süresi dolmuş ya da silinmiş olabilir).",
  "error.BAD_POW": "İstenmeyen ileti denetiminin süresi doldu. Lütfen yeniden gönderin.",
  "error.BAD_RECEIPT_FORMAT":
    "Bu, bu düğümün makbuzu değil. Size gösterildiği şekilde tam olarak yazın (boşluklar önemli değil).",
  "error.BAD_SIGNATURE":
    "Bu kanalın alıcı listesi bu düğümün anahtarıyla imzalanmamış. Güvenliğiniz için hiçbir şey gönderilmedi. Daha sonra yeniden deneyin ve kuruluşa başka bir yoldan haber verin.",
  "error.KEY_MISMATCH":
    "Bu kanalın alıcı listesi bu düğümünkinden farklı bir anahtarla imzalanmış. Güvenliğiniz için hiçbir şey gönderilmedi. Daha sonra yeniden deneyin ve kuruluşa başka bir yoldan haber verin.",
  "error.BAD_DIRECTORY":
    "Bu kanalın alıcı listesi doğrulanamıyor. Güvenliğiniz için hiçbir şey gönderilmedi.",
  "error.WEAK_PARAMS":
    "Düğüm, imzalı alt sınırının altında anahtar türetme ayarları istedi; bu, bir parolanın tahminini kolaylaştırırdı. Hiçbir şey yapılmadı.",
  "error.VALIDATION": "Gönderilenlerin bir kısmı geçerli değil. İşaretli alanları kontrol edin.",
  "error.CONFLICT": "Bu, zaten kayıtlı bir şeyle çakışıyor. Sayfayı yenileyip yeniden deneyin.",
  "error.PAYLOAD_TOO_LARGE": "Bu, düğümün kabul ettiğinden büyük.",
  "error.NOT_SET_UP": "Bu düğüm henüz kurulmadı.",
  "error.ABORTED": "İptal edildi.",
  "error.NODE_KEY_CHANGED":
    "Bu düğümün imza anahtarı, bu tarayıcının önceki bir ziyarette güvendiği anahtar değil. Sunucu ele geçirilmiş olabilir; güvenliğiniz için hiçbir şey gönderilmedi. Kuruluşa başka bir yoldan haber verin.",
  "error.MANIFEST_STALE":
    "Bu düğümün imzalı tanımı, bu tarayıcının daha önce gördüğünden eski: sunucu eski bir sürümü yeniden sunuyor olabilir. Güvenliğiniz için hiçbir şey gönderilmedi. Kuruluşa başka bir yoldan haber verin.",
  "error.MANIFEST_FORGED":
    "Bu düğümün imzalı tanımı kendi anahtarıyla doğrulanmıyor: sunucuya müdahale edilmiş olabilir. Güvenliğiniz için hiçbir şey gönderilmedi. Kuruluşa başka bir yoldan haber verin.",
  "error.DIRECTORY_STALE":
    "Bu kanalın alıcı listesi, bu tarayıcının daha önce gördüğünden eski: sunucu eski bir listeyi (belki o zamandan beri çıkarılmış biriyle) yeniden sunuyor olabilir. Güvenliğiniz için hiçbir şey gönderilmedi. Kuruluşa başka bir yoldan haber verin.",
  "error.DIRECTORY_EXPIRED":
    "Bu kanalın alıcı listesinin süresi doldu: kuruluş onu yenilemedi. Güvenliğiniz için hiçbir şey gönderilmedi. Daha sonra yeniden deneyin ve kuruluşa başka bir yoldan haber verin.",
  "error.COSTLY_PARAMS":
    "Düğüm, imzalı üst sınırının üzerinde anahtar türetme ayarları istedi (bu cihazı kilitleyebilirdi); hiçbir şey yapılmadı.",
  "error.POW_OUT_OF_BOUNDS":
    "Düğüm bu cihazdan, imzaladığı sınırların dışında bir istenmeyen ileti denetimi istedi (cihazı saatlerce veya günlerce meşgul edebilirdi). Güvenliğiniz için hiçbir şey gönderilmedi. Daha sonra yeniden deneyin ve kuruluşa başka bir yoldan haber verin.",
  "error.DIRECTORY_CONTEXT":
    "Bu kanal için sunulan alıcı listesi başka bir kanala ait. Güvenliğiniz için hiçbir şey gönderilmedi. Daha sonra yeniden deneyin ve kuruluşa başka bir yoldan haber verin.",
  "error.NO_RECIPIENTS":
    "Bu kanalın henüz alıcısı yok, bu yüzden ona bildirim gönderilemez. Daha sonra yeniden deneyin.",
  "error.HASH_MISMATCH": "Bir dosyanın bir parçası bozuk ulaştı; yeniden gönderiliyor.",
  "error.INCOMPLETE_UPLOAD": "Bir dosya tamamen ulaşmadı. Yeniden gönderin.",
  "error.NO_SESSION": "Önce makbuzunuzla giriş yapın.",
  "error.OPRF_KEY_MISMATCH":
    "Sunucu, parola veya makbuz denetimini bu düğümün imzalamadığı bir anahtarla yanıtladı: ele geçirilmiş olabilir. Güvenliğiniz için yazdıklarınızdan türetilen hiçbir şey gönderilmedi. Yeniden denemeyin; kuruluşa başka bir kanaldan haber verin.",
  "error.OPRF_BAD_PROOF":
    "Sunucunun parola veya makbuz denetimine yanıtı geçerli bir kanıt olmadan geldi: değiştirilmiş olabilir. Güvenliğiniz için yazdıklarınızdan türetilen hiçbir şey gönderilmedi. Yeniden denemeyin; kuruluşa başka bir kanaldan haber verin.",
  "error.OPRF_DOWNGRADE":
    "Sunucu bu tarayıcıdan parolanızı veya makbuzunuzu burada daha önce kullanılandan daha eski ve daha zayıf bir yolla denetlemesini istedi: ele geçirilmiş olabilir. Güvenliğiniz için yazdıklarınızdan türetilen hiçbir şey gönderilmedi. Kuruluşa başka bir kanaldan haber verin.",
  "error.OPRF_OFFLINE":
    "Bu düğüm makbuzları sunucudaki bir denetimle korur; bu yüzden makbuz oluşturmak veya kullanmak bir anlığına bağlantı gerektirir. Bağlanıp yeniden deneyin; yazdıklarınız hâlâ formda.",
  "error.WRONG_RECEIPT":
    "Bu makbuzla eşleşen bir bildirim yok. Her rakamı kontrol edip yeniden deneyin; kaybolursa kurtarılamaz.",
  "wb.required": "Lütfen bu soruyu yanıtlayın.",
  "wb.fixErrors": "Bazı yanıtlar ilginizi bekliyor: işaretli alanlara bakın.",
  "wb.blocked": "Güvenliğiniz için bu sayfada gönderim kapatıldı.",
  "wb.harmful":
    "Bu tür dosyalar alıcıların bilgisayarlarına zarar verebilir (program çalıştırabilir). Yalnızca gerekliyse gönderin; yine de gönderilecek.",
  "wb.tooManyFiles.one":
    "Bu kanal toplamda en fazla {{max}} dosya kabul ediyor. Bazılarını kaldırın.",
  "wb.tooManyFiles.other":
    "Bu kanal toplamda en fazla {{max}} dosya kabul ediyor. Bazılarını kaldırın.",
  "wb.fileTooLarge": "{{name}}, bu kanalın dosya başına kabul ettiği {{max}} sınırından büyük.",
  "wb.retrying": "Bağlantı koptu, yeniden deneniyor…",
  "wb.step.keys": "Makbuzunuzun anahtarları oluşturuluyor",
  "wb.step.pow": "İstenmeyen ileti denetimi",
  "wb.step.send": "Şifreli bildiriminiz gönderiliyor",
  "wb.step.upload": "{{name}} şifrelenip gönderiliyor",
} satisfies Catalogue
