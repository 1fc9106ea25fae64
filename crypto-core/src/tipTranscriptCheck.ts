import { type SignedStatement, verifyStatement } from "./signedStatement.js"
import {
  TRANSCRIPT_ENTRY_LABEL,
  type TranscriptEntry,
  type TranscriptHead,
  type TranscriptKind,
} from "./tipTranscript.js"

/** Why an entry is not shown as plainly authentic, as a stable code (SPEC §6.2 rules). */
export type TranscriptProblemCode =
  /** The entry cannot be opened, or its signature or shape is bad: nothing of it is shown. */
  | "FORGED"
  /** Signed by a key that is not the one of the author it names (or not a current recipient). */
  | "UNKNOWN_SIGNER"
  /** Entries before this one are missing. */
  | "GAP"
  /** The server delivered this entry out of its written order. */
  | "OUT_OF_ORDER"
  /** The very same entry was delivered more than once. */
  | "DUPLICATE"
  /** Another entry claims the same place in the conversation. */
  | "FORK"
  /**
   * Written by the other side with the same place as one of the reader's side: its author had
   * not seen that message (sent at the same time, or withheld from them by the server).
   */
  | "UNSEEN"
  /** The entry does not follow the entry before it (its `prev` hash names something else). */
  | "BROKEN_CHAIN"
  /** The server's author label differs from the signed author. */
  | "AUTHOR_MISMATCH"

/** One problem, in words a person can read next to the message. */
export interface TranscriptProblem {
  readonly code: TranscriptProblemCode
  readonly message: string
}

/** A sealed entry as the relay delivered it, opened but not yet judged. */
export interface DeliveredEntry {
  /** The relay's id of the comment or file. */
  readonly ref: string
  /** The relay list it came in. */
  readonly list: TranscriptKind
  /** The author the relay claims (`wb`, `recipient` or a user id), when it says one. */
  readonly relayAuthor?: string
  /** `entryHash` of the sealed text. */
  readonly hash: string
  /** The opened statement, or undefined when it could not be opened. */
  readonly signed: SignedStatement<TranscriptEntry> | undefined
}

/** An entry after the check: `authentic` only when there is no problem at all. */
export interface CheckedEntry {
  readonly ref: string
  readonly list: TranscriptKind
  /** The signed entry; absent for `FORGED` ones (whose content must not be shown). */
  readonly entry?: TranscriptEntry
  readonly problems: readonly TranscriptProblem[]
  readonly authentic: boolean
}

/** The checked conversation: entries in written order (forged ones last) and where to append. */
export interface CheckedTranscript {
  readonly entries: readonly CheckedEntry[]
  readonly head: TranscriptHead
}

/** What a reader knows on its own: the verified binding, whistleblower key and staff keys. */
export interface TranscriptTrust {
  /** `bindingHash` of the verified tip binding. */
  readonly bindingHash: string
  /** The whistleblower's signing key from the verified answers (or re-derived from the receipt). */
  readonly whistleblower: string
  /** Staff user id → account signing key, from the current verified key directory. */
  readonly staff: ReadonlyMap<string, string>
  /** How the relay labels authors in this view: staff see ids, the whistleblower `recipient`. */
  readonly view: "staff" | "whistleblower"
}

/**
 * Checks a tip's transcript: every entry's signature under `sotto/v2/transcript-entry`, its
 * signer against the author it names, its place in the hash chain from the binding, its
 * position in the relay's lists, and the relay's author label. Never throws on hostile input.
 */
export function verifyTranscript(
  delivered: readonly DeliveredEntry[],
  trust: TranscriptTrust,
): CheckedTranscript {
  const forged: CheckedEntry[] = []
  const valid: { d: DeliveredEntry; e: TranscriptEntry; problems: TranscriptProblem[] }[] = []
  const seen = new Set<string>()
  for (const d of delivered) {
    const e = signedEntry(d)
    if (!e) {
      forged.push({ ref: d.ref, list: d.list, problems: [FORGED], authentic: false })
      continue
    }
    const problems: TranscriptProblem[] = []
    if (seen.has(d.hash)) problems.push(DUPLICATE)
    seen.add(d.hash)
    const signer = d.signed?.signer
    const expected =
      e.author.role === "whistleblower" ? trust.whistleblower : trust.staff.get(e.author.id)
    if (signer !== expected) {
      problems.push({
        code: "UNKNOWN_SIGNER",
        message:
          e.author.role === "whistleblower"
            ? "Signed by a key that is not the whistleblower's: not shown as the whistleblower's."
            : `Signed by a key that is not a current recipient's (${e.author.id}): it may come from someone whose access was removed.`,
      })
    }
    const label = relayLabel(e, trust.view)
    if (d.relayAuthor !== undefined && d.relayAuthor !== label) {
      problems.push({
        code: "AUTHOR_MISMATCH",
        message: `The server labels this as written by "${d.relayAuthor}", but it is signed as written by "${label}".`,
      })
    }
    valid.push({ d, e, problems })
  }
  markOrder(valid)
  markChain(valid, trust.bindingHash, trust.view)
  const unique = valid.filter((v) => !v.problems.some((p) => p.code === "DUPLICATE"))
  let head: TranscriptHead = { seq: 0, hash: trust.bindingHash }
  for (const v of unique) if (v.e.seq > head.seq) head = { seq: v.e.seq, hash: v.d.hash }
  const sorted = [...valid].sort((a, b) => a.e.seq - b.e.seq)
  return {
    entries: [
      ...sorted.map((v) => ({
        ref: v.d.ref,
        list: v.d.list,
        entry: v.e,
        problems: v.problems,
        authentic: v.problems.length === 0,
      })),
      ...forged,
    ],
    head,
  }
}

const FORGED: TranscriptProblem = {
  code: "FORGED",
  message: "This message does not verify (forged or damaged): its content is not shown.",
}
const DUPLICATE: TranscriptProblem = {
  code: "DUPLICATE",
  message: "The server delivered this message more than once; this is a copy.",
}

function signedEntry(d: DeliveredEntry): TranscriptEntry | undefined {
  try {
    const e = verifyStatement(TRANSCRIPT_ENTRY_LABEL, d.signed as SignedStatement<TranscriptEntry>)
    const author = e.author as { role?: unknown; id?: unknown } | undefined
    const wellFormed =
      e.v === 2 &&
      Number.isSafeInteger(e.seq) &&
      e.seq >= 1 &&
      typeof e.prev === "string" &&
      e.kind === d.list &&
      typeof e.at === "string" &&
      (author?.role === "whistleblower" ||
        (author?.role === "staff" && typeof author.id === "string"))
    return wellFormed ? e : undefined
  } catch {
    return undefined
  }
}

function relayLabel(e: TranscriptEntry, view: TranscriptTrust["view"]): string {
  if (e.author.role === "whistleblower") return "wb"
  return view === "staff" ? e.author.id : "recipient"
}

// Within one relay list (comments, files), entries must come in increasing `seq`.
function markOrder(
  valid: readonly { d: DeliveredEntry; e: TranscriptEntry; problems: TranscriptProblem[] }[],
): void {
  for (const list of ["comment", "file"] as const) {
    const inList = valid.filter((v) => v.d.list === list && !v.problems.includes(DUPLICATE))
    inList.forEach((v, i) => {
      const before = inList.slice(0, i).some((o) => o.e.seq > v.e.seq)
      const after = inList.slice(i + 1).some((o) => o.e.seq < v.e.seq)
      if (before || after) {
        v.problems.push({
          code: "OUT_OF_ORDER",
          message: "The server delivered this message out of the order in which it was written.",
        })
      }
    })
  }
}

// Each entry names the hash of the entry before it (seq − 1) or, first, the binding.
function markChain(
  valid: readonly { d: DeliveredEntry; e: TranscriptEntry; problems: TranscriptProblem[] }[],
  binding: string,
  view: TranscriptTrust["view"],
): void {
  const bySeq = new Map<number, { d: DeliveredEntry; e: TranscriptEntry }[]>()
  for (const v of valid) {
    if (v.problems.includes(DUPLICATE)) continue
    bySeq.set(v.e.seq, [...(bySeq.get(v.e.seq) ?? []), v])
  }
  for (const v of valid) {
    if (v.problems.includes(DUPLICATE)) continue
    const same = bySeq.get(v.e.seq) ?? []
    // An entry's `prev` is the head its author saw (SPEC §6.2): the other side's entry in the
    // same place as one of the reader's side was written without seeing that one.
    const mineSide = (e: TranscriptEntry) => sideOf(e) === view
    const unseen =
      !mineSide(v.e) && same.find((o) => o !== v && mineSide(o.e) && o.e.prev === v.e.prev)
    if (unseen) {
      v.problems.push(unseenBy(v.e, view))
    } else if (
      same.length > 1 &&
      same[0] !== v &&
      !(mineSide(v.e) && same.some((o) => !mineSide(o.e)))
    ) {
      v.problems.push({
        code: "FORK",
        message: `Another message claims the same place (#${v.e.seq}) in the conversation: written at the same time, or inserted.`,
      })
    }
    if (v.e.seq === 1) {
      if (v.e.prev !== binding) v.problems.push(broken())
      continue
    }
    const before = bySeq.get(v.e.seq - 1)
    if (!before) {
      let lower = 0
      for (const s of bySeq.keys()) if (s < v.e.seq && s > lower) lower = s
      const missing = v.e.seq - 1 - lower
      v.problems.push({
        code: "GAP",
        message: `${missing} message${missing === 1 ? " is" : "s are"} missing before this one: the server withheld ${missing === 1 ? "it" : "them"}.`,
      })
    } else if (!before.some((b) => b.d.hash === v.e.prev)) {
      v.problems.push(broken())
    }
  }
}

function sideOf(e: TranscriptEntry): TranscriptTrust["view"] {
  return e.author.role === "whistleblower" ? "whistleblower" : "staff"
}

function unseenBy(e: TranscriptEntry, view: TranscriptTrust["view"]): TranscriptProblem {
  return {
    code: "UNSEEN",
    message:
      view === "staff"
        ? `The whistleblower wrote this without seeing your side's message #${e.seq}: written at the same time, or the server kept that message from them.`
        : `The recipients wrote this without seeing your message #${e.seq}: written at the same time, or the server kept your message from them.`,
  }
}

function broken(): TranscriptProblem {
  return {
    code: "BROKEN_CHAIN",
    message: "This message does not follow the message before it: the conversation was altered.",
  }
}
