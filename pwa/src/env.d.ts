/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The build id shown in the footer (set by the build script). */
  readonly VITE_BUILD?: string
}
