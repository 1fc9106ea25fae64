import { resolveTemplate } from "@solid-primitives/i18n"
import { LANGUAGES, type Language } from "@sotto/protocol/languages"
import { createSignal } from "solid-js"
import { type Catalogue, en, type MessageKey } from "./en.js"
import type { LaterCatalogue } from "./later/en.js"

// The whistleblower's language: chosen from the remembered choice, then navigator.languages,
// then the node's default, among the languages the node enables; switched without a reload
// (every `t()` in JSX is reactive). English's first-visit catalogue is in the entry chunk; every
// other language's is a lazy chunk fetched before the first render when the browser asks for it.
// The later pages' sentences (receipt, report page, outbox, code check) are one more lazy chunk
// per language, fetched by ensureLater() once the form is ready or before such a page renders.

export type { Catalogue, MessageKey } from "./en.js"
export type { LaterCatalogue } from "./later/en.js"
export { LANGUAGES, type Language }

/** Each language's name in itself, for the switcher. */
export const AUTONYMS: Readonly<Record<Language, string>> = {
  en: "English",
  es: "Español",
  fr: "Français",
  pt: "Português",
  ar: "العربية",
  ru: "Русский",
  tr: "Türkçe",
  fa: "فارسی",
}

const RTL: ReadonlySet<Language> = new Set(["ar", "fa"])

/** Where the choice is remembered (Tor Browser forgets it with the session: fine). */
const STORAGE_KEY = "sotto.language"

const LOADERS: Readonly<Record<Exclude<Language, "en">, () => Promise<{ default: Catalogue }>>> = {
  es: () => import("./es.js"),
  fr: () => import("./fr.js"),
  pt: () => import("./pt.js"),
  ar: () => import("./ar.js"),
  ru: () => import("./ru.js"),
  tr: () => import("./tr.js"),
  fa: () => import("./fa.js"),
}

const LATER_LOADERS: Readonly<Record<Language, () => Promise<{ default: LaterCatalogue }>>> = {
  en: () => import("./later/en.js"),
  es: () => import("./later/es.js"),
  fr: () => import("./later/fr.js"),
  pt: () => import("./later/pt.js"),
  ar: () => import("./later/ar.js"),
  ru: () => import("./later/ru.js"),
  tr: () => import("./later/tr.js"),
  fa: () => import("./later/fa.js"),
}

const [language, setLanguageSignal] = createSignal<Language>("en")
const [catalogue, setCatalogue] = createSignal<Catalogue>(en)
const [later, setLater] = createSignal<LaterCatalogue>()
// Set by the first ensureLater(): from then on a language switch loads both parts.
let laterWanted = false
const [offered, setOffered] = createSignal<readonly Language[]>(LANGUAGES)

/** The language the page is shown in (reactive). */
/** The languages the switcher offers: the node's enabled ones (reactive). */
export { language, offered }

/** Whether `code` is written right to left. */
export function isRtl(code: Language): boolean {
  return RTL.has(code)
}

/** The catalogue of `code`, loaded once. @throws when its chunk cannot be fetched (offline). */
export async function loadCatalogue(code: Language): Promise<Catalogue> {
  return code === "en" ? en : (await LOADERS[code]()).default
}

/** The later pages' catalogue of `code`. @throws when its chunk cannot be fetched (offline). */
export async function loadLaterCatalogue(code: Language): Promise<LaterCatalogue> {
  return (await LATER_LOADERS[code]()).default
}

/**
 * Loads the later pages' sentences in the current language (once); the routes after the form
 * wait for it. Never throws: offline without the chunk, those pages show the keys' English.
 */
export async function ensureLater(): Promise<void> {
  laterWanted = true
  const code = language()
  if (later()) return
  try {
    const next = await loadLaterCatalogue(code)
    // A switch meanwhile loaded its own (laterWanted).
    if (language() === code) setLater(next)
  } catch {
    // Offline and never cached: t() falls back to the key.
  }
}

/**
 * The sentence for `key` in the current language, its `{{slots}}` filled from `args`; English
 * when the current catalogue lacks it (never the case for a complete one).
 */
export function t(key: MessageKey, args?: Readonly<Record<string, string | number>>): string {
  const template = catalogue()[key] ?? later()?.[key] ?? key
  return args ? resolveTemplate(template, args) : template
}

/**
 * The plural form of `base` for `count` (Intl.PluralRules of the current language: Arabic has
 * six, English two), with `{{count}}` and `args` filled.
 */
export function tp(
  base: string,
  count: number,
  args?: Readonly<Record<string, string | number>>,
): string {
  const form = new Intl.PluralRules(language()).select(count)
  const all = { ...catalogue(), ...later() }
  const template = all[`${base}.${form}`] ?? all[`${base}.other`] ?? base
  return resolveTemplate(template, { count: formatNumber(count), ...args })
}

/** The current catalogue's sentence for a key built at run time (`error.${code}`), if any. */
export function lookup(key: string): string | undefined {
  return catalogue()[key] ?? later()?.[key]
}

/** A number in the current language's digits and separators. */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(language(), options).format(value)
}

/** A timestamp (ms) as a short date and time in the current language. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toLocaleString(language(), { dateStyle: "medium", timeStyle: "short" })
}

/** Shows the page in `code`: loads its catalogue, then swaps it in and sets `lang`/`dir`. */
export async function setLanguage(code: Language, remember = true): Promise<void> {
  // Remembered at once: a reload before the catalogue arrives still comes back in this language.
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, code)
    } catch {
      // Storage refused (private mode): the choice lasts this page.
    }
  }
  const [next, nextLater] = await Promise.all([
    loadCatalogue(code),
    laterWanted ? loadLaterCatalogue(code) : undefined,
  ])
  setCatalogue(next)
  setLater(nextLater)
  setLanguageSignal(code)
  const html = document.documentElement
  html.lang = code
  html.dir = isRtl(code) ? "rtl" : "ltr"
}

/**
 * The language to show among `enabled`: the remembered choice, else the first of the browser's
 * languages (primary subtag: `es-MX` → `es`), else `fallback`.
 */
export function pickLanguage(
  enabled: readonly Language[],
  fallback: Language,
  stored: string | null,
  browser: readonly string[],
): Language {
  const ok = (code: string | undefined): code is Language =>
    code !== undefined && (enabled as readonly string[]).includes(code)
  if (stored !== null && ok(stored)) return stored
  for (const tag of browser) {
    const primary = tag.toLowerCase().split("-")[0]
    if (ok(primary)) return primary
  }
  return fallback
}

function storedChoice(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

/**
 * Picks and loads the first language before the first render (any catalogue, until the node
 * says which it enables). Never throws: a catalogue that cannot load leaves English.
 */
export async function startI18n(): Promise<void> {
  const code = pickLanguage(LANGUAGES, "en", storedChoice(), navigator.languages ?? [])
  await setLanguage(code, false).catch(() => setLanguage("en", false))
}

/**
 * Applies the node's language settings (GET /node): the switcher offers only its enabled
 * languages, and the language is picked again among them (remembered choice, browser, default).
 */
export function applyNodeLanguages(settings: {
  readonly enabled: readonly Language[]
  readonly default: Language
}): void {
  setOffered(settings.enabled)
  // Picked again now that the node's list and default are known (a German browser on a node
  // offering en and fr with fr by default gets French, not the English it started with).
  const code = pickLanguage(settings.enabled, settings.default, storedChoice(), navigator.languages)
  if (code !== language()) void setLanguage(code, false).catch(() => undefined)
}

/** `1536` → `1.5 KiB`, the number in the current language's digits (IEC symbols are universal). */
export function formatSize(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"]
  if (bytes < 1024) return formatNumber(bytes, { style: "unit", unit: "byte", unitDisplay: "long" })
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${formatNumber(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ${units[unit]}`
}

/** `chunk` once it and the later pages' sentences have loaded: for lazy routes. */
export async function withLater<T>(chunk: Promise<T>): Promise<T> {
  const [loaded] = await Promise.all([chunk, ensureLater()])
  return loaded
}
