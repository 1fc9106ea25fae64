// The languages the PWA has complete catalogues for (pwa/src/i18n); `ar` and `fa` are written
// right to left. A plain constant without TypeBox, so the browser can import it too.

/** Every language a node can enable, English first (the default). */
export const LANGUAGES = ["en", "es", "fr", "pt", "ar", "ru", "tr", "fa"] as const

/** A language code of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number]
