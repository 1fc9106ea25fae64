import { describe, expect, it } from "vitest"
import ar from "./ar.js"
import { en as enCore } from "./en.js"
import es from "./es.js"
import fa from "./fa.js"
import fr from "./fr.js"
import {
  LANGUAGES,
  type Language,
  loadCatalogue,
  loadLaterCatalogue,
  pickLanguage,
} from "./index.js"
import arLater from "./later/ar.js"
import enLater from "./later/en.js"
import esLater from "./later/es.js"
import faLater from "./later/fa.js"
import frLater from "./later/fr.js"
import ptLater from "./later/pt.js"
import ruLater from "./later/ru.js"
import trLater from "./later/tr.js"
import pt from "./pt.js"
import ru from "./ru.js"
import tr from "./tr.js"

// Each language's two parts (first visit and later pages) checked as one catalogue; a key in
// the wrong part fails too ("every key of English" is checked part by part).
const PARTS: Readonly<
  Record<
    Exclude<Language, "en">,
    readonly [Readonly<Record<string, string>>, Readonly<Record<string, string>>]
  >
> = {
  es: [es, esLater],
  fr: [fr, frLater],
  pt: [pt, ptLater],
  ar: [ar, arLater],
  ru: [ru, ruLater],
  tr: [tr, trLater],
  fa: [fa, faLater],
}
const CATALOGUES = Object.fromEntries(
  Object.entries(PARTS).map(([code, [core, later]]) => [code, { ...core, ...later }]),
)
const en: Readonly<Record<string, string>> = { ...enCore, ...enLater }
const PLURAL = /\.(zero|one|two|few|many|other)$/
const english = en
const slots = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort()
const pluralBases = [
  ...new Set(
    Object.keys(en)
      .filter((k) => PLURAL.test(k))
      .map((k) => k.replace(PLURAL, "")),
  ),
]

describe("the whistleblower's catalogues", () => {
  it("cover the eight languages the node can enable", () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual(LANGUAGES.filter((l) => l !== "en").sort())
  })

  for (const [code, catalogue] of Object.entries(CATALOGUES)) {
    describe(code, () => {
      it("has each part's keys in the same part as English", () => {
        const [core, later] = PARTS[code as keyof typeof PARTS]
        expect(Object.keys(enCore).filter((k) => !(k in core))).toEqual([])
        expect(Object.keys(enLater).filter((k) => !(k in later))).toEqual([])
      })

      it("has every key of English and no key English lacks (but plural forms)", () => {
        expect(Object.keys(en).filter((k) => !(k in catalogue))).toEqual([])
        const extra = Object.keys(catalogue).filter((k) => !(k in en))
        expect(extra.filter((k) => !pluralBases.includes(k.replace(PLURAL, "")))).toEqual([])
      })

      it("has no empty sentence", () => {
        expect(Object.entries(catalogue).filter(([, text]) => text.trim() === "")).toEqual([])
      })

      it("keeps English's placeholders (a plural form may leave its number out)", () => {
        const wrong = Object.entries(catalogue).filter(([key, text]) => {
          const source = english[key] ?? english[key.replace(PLURAL, ".other")] ?? ""
          if (!PLURAL.test(key)) return slots(text).join() !== slots(source).join()
          return slots(text).some((s) => !slots(source).includes(s))
        })
        expect(wrong).toEqual([])
      })

      it("has every plural form its language uses for counts 0 to 200", () => {
        const rules = new Intl.PluralRules(code)
        const forms = new Set(Array.from({ length: 201 }, (_, n) => rules.select(n)))
        const missing = pluralBases.flatMap((base) =>
          [...forms].map((f) => `${base}.${f}`).filter((k) => !(k in catalogue)),
        )
        expect(missing).toEqual([])
      })
    })
  }

  it("loads each language's catalogue lazily and English from the entry", async () => {
    expect(await loadCatalogue("en")).toBe(enCore)
    expect((await loadCatalogue("ar"))["landing.login"]).toBe(ar["landing.login"])
    expect((await loadLaterCatalogue("fa"))["receipt.copy"]).toBe(faLater["receipt.copy"])
  })
})

describe("pickLanguage", () => {
  const all = LANGUAGES
  it("prefers the remembered choice when the node enables it", () => {
    expect(pickLanguage(all, "en", "fa", ["es-MX", "en"])).toBe("fa")
    expect(pickLanguage(["en", "es"], "en", "fa", ["es-MX", "en"])).toBe("es")
  })

  it("takes the first browser language the node enables, by its primary subtag", () => {
    expect(pickLanguage(all, "en", null, ["ar-EG", "en-US"])).toBe("ar")
    expect(pickLanguage(["en", "ru"], "en", null, ["de-DE", "ru"])).toBe("ru")
  })

  it("falls back to the node's default when the browser asks for none of its languages", () => {
    expect(pickLanguage(["fr", "es"], "fr", null, ["de", "ja"])).toBe("fr")
    expect(pickLanguage(all, "en", "xx", [])).toBe("en")
  })
})
