import { createStore, produce } from "solid-js/store"
import { t } from "../../i18n/index.js"
import { digestFile, isHarmful } from "../../lib/wbFiles.js"
import type { Attached } from "./FilePicker.jsx"

/** A file ready to send: the file, its fingerprint and the field it belongs to. */
export interface ReadyFile {
  readonly file: File
  readonly sha256: string
  readonly field: string
}

/** The files attached to a form, by field id, each hashed in a worker as soon as it is added. */
export interface Attachments {
  /** Files by field id (reactive). */
  readonly byField: Readonly<Record<string, readonly Attached[]>>
  /** Every attached file. */
  all(): readonly Attached[]
  add(field: string, files: readonly File[]): void
  remove(field: string, key: number): void
  clear(): void
  /**
   * Every file with its SHA-256, waiting for the hashes still running.
   * @throws Error when a file could not be read.
   */
  ready(): Promise<ReadyFile[]>
}

let nextKey = 1

/** Makes the attachment state of one form (component-local). */
export function createAttachments(): Attachments {
  const [byField, setByField] = createStore<Record<string, Attached[]>>({})
  const digests = new Map<number, Promise<string>>()
  return {
    byField,
    all: () => Object.values(byField).flat(),
    add(field, files) {
      for (const file of files) {
        const key = nextKey++
        const entry: Attached = { key, file, harmful: isHarmful(file.name), hashed: 0 }
        setByField(field, (list) => [...(list ?? []), entry])
        const update = (patch: Partial<Attached>) =>
          setByField(
            field,
            (a) => a.key === key,
            produce((a) => Object.assign(a, patch)),
          )
        const digest = digestFile(file, (hashed) => update({ hashed }))
        digests.set(key, digest)
        digest.then(
          (sha256) => update({ sha256, hashed: 1 }),
          () => update({ error: t("file.unreadable") }),
        )
      }
    },
    remove(field, key) {
      digests.delete(key)
      setByField(field, (list) => (list ?? []).filter((a) => a.key !== key))
    },
    clear() {
      digests.clear()
      setByField(
        produce((all) => {
          for (const k of Object.keys(all)) delete all[k]
        }),
      )
    },
    ready() {
      return Promise.all(
        Object.entries(byField).flatMap(([field, list]) =>
          list.map(async (a) => {
            const digest = digests.get(a.key)
            if (!digest) throw new Error(t("file.unreadable"))
            return { file: a.file, field, sha256: await digest }
          }),
        ),
      )
    },
  }
}
