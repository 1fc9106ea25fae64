import { resolve } from "node:path"
import type { StoreBackend } from "../store/backend.js"
import { copyStore } from "../store/copyStore.js"
import { LevelBackend } from "../store/levelBackend.js"
import { PgBackend } from "../store/pgBackend.js"

// `npm run store:move -- <from> <to>`: moves a node's records between LevelDB (a directory) and
// PostgreSQL (a postgres:// URL; STORE_SCHEMA names the schema, default `sotto`). Stop the relay
// first. The target must be empty; the source is left as it was. The secrets key file is not in
// either store: keep the same SECRETS_KEY_FILE (relay/README.md "Moving a node").

const [from, to] = process.argv.slice(2)
if (!from || !to) {
  console.error(
    "usage: npm run store:move -- <leveldb-dir | postgres://…> <leveldb-dir | postgres://…>",
  )
  process.exit(2)
}

async function open(where: string): Promise<StoreBackend> {
  if (/^postgres(ql)?:\/\//.test(where)) {
    const schema = process.env.STORE_SCHEMA?.trim() || undefined
    return PgBackend.open({ url: where, ...(schema ? { schema } : {}) })
  }
  return LevelBackend.open(resolve(where))
}

try {
  const source = await open(from)
  const target = await open(to)
  try {
    const { blobs, ...records } = await copyStore(source, target)
    const total = Object.values(records).reduce((a, b) => a + b, 0)
    console.log(`copied ${total} records and ${blobs} files and checked them:`, records)
  } finally {
    await Promise.all([source.close(), target.close()])
  }
} catch (e) {
  console.error(`store:move failed: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
}
