import type { SignedKeyDirectory } from "@sotto/crypto-core"
import {
  createContext,
  deleteContext,
  getContext,
  getContextDirectory,
  listContexts,
  updateContext,
} from "@sotto/protocol/contexts"
import type { BodyOf, ResponseOf } from "@sotto/protocol/route"
import type { RelayContext, RouteGroup } from "../context.js"
import { RelayError } from "../errors.js"
import { bind } from "../http/router.js"
import {
  checkDirectory,
  checkQuestionnaire,
  loadCustodians,
  loadRecipients,
} from "../services/contextChecks.js"
import { deadlinesOf } from "../services/deadlines.js"
import type { ContextRecord, TipRecord } from "../services/records.js"
import type { Session } from "../services/session.js"
import { prefixRange } from "../store/store.js"

type ContextBody = BodyOf<typeof updateContext>

/** Handlers of the "contexts" group: public reading, admin writing with a signed directory. */
export const contextsRoutes: RouteGroup = (ctx) => [
  bind(listContexts, async () => {
    const records = await ctx.store.list<ContextRecord>("contexts", prefixRange("c/"))
    const contexts = records.map(([, c]) => publicView(c))
    return { contexts: contexts.sort((a, b) => a.name.localeCompare(b.name) || cmp(a.id, b.id)) }
  }),

  bind(getContext, async ({ params }) => publicView(await requireContext(ctx, params.contextId))),

  bind(getContextDirectory, async ({ params }) =>
    // Stored exactly as the admin's browser signed it.
    ctx.store.require<ResponseOf<typeof getContextDirectory>>(
      "contexts",
      `d/${params.contextId}`,
      "context",
    ),
  ),

  bind(createContext, async ({ body, session }) => {
    const { id, ...fields } = body
    if (await ctx.store.get("contexts", `c/${id}`)) {
      throw new RelayError("CONFLICT", `a context "${id}" already exists`, "body.id")
    }
    await saveContext(ctx, session, id, fields, undefined)
    return { id }
  }),

  bind(updateContext, async ({ params, body, session }) => {
    const existing = await requireContext(ctx, params.contextId)
    await saveContext(ctx, session, existing.id, body, existing)
    return { id: existing.id }
  }),

  bind(deleteContext, async ({ params, session }) => {
    const context = await requireContext(ctx, params.contextId)
    for (const [, tip] of await ctx.store.list<TipRecord>("tips", prefixRange("t/"))) {
      if (tip.contextId === context.id) {
        throw new RelayError("CONFLICT", "this context still has tips; delete them first")
      }
    }
    const batch = ctx.store
      .batch()
      .del("contexts", `c/${context.id}`)
      .del("contexts", `d/${context.id}`)
    ctx.audit.add(batch, { actor: actorOf(session), action: "context.deleted", target: context.id })
    await batch.write()
    return { ok: true as const }
  }),
]

/** Checks and stores a context with its directory, audited, in one batch. */
async function saveContext(
  ctx: RelayContext,
  session: Session | undefined,
  id: string,
  body: ContextBody,
  existing: ContextRecord | undefined,
): Promise<void> {
  const custodianIds = body.custodians ?? []
  checkQuestionnaire(body.questionnaire, custodianIds.length)
  const recipients = await loadRecipients(ctx, body.recipients)
  const custodians = await loadCustodians(ctx, custodianIds)
  const previous = existing
    ? await ctx.store.get<SignedKeyDirectory>("contexts", `d/${id}`)
    : undefined
  await checkDirectory(ctx, id, recipients, body.directory, previous, custodians)
  const now = ctx.clock.now()
  const record: ContextRecord = {
    id,
    name: body.name,
    description: body.description,
    recipients: [...body.recipients],
    ...(custodianIds.length > 0 ? { custodians: [...custodianIds] } : {}),
    questionnaire: body.questionnaire,
    expiryDays: body.expiryDays,
    maxFiles: body.maxFiles,
    maxFileBytes: body.maxFileBytes,
    ...(body.deadlines ? { deadlines: { ...body.deadlines } } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  }
  const batch = ctx.store
    .batch()
    .put("contexts", `c/${id}`, record)
    .put("contexts", `d/${id}`, body.directory)
  ctx.audit.add(batch, {
    actor: actorOf(session),
    action: existing ? "context.updated" : "context.created",
    target: id,
    details: { recipients: record.recipients.length, questions: record.questionnaire.length },
  })
  await batch.write()
}

async function requireContext(ctx: RelayContext, id: string): Promise<ContextRecord> {
  return ctx.store.require<ContextRecord>("contexts", `c/${id}`, "context")
}

function publicView(c: ContextRecord) {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    questionnaire: c.questionnaire.map((q) => ({ ...q, options: q.options && [...q.options] })),
    maxFiles: c.maxFiles,
    maxFileBytes: c.maxFileBytes,
    expiryDays: c.expiryDays,
    deadlines: { ...deadlinesOf(c) },
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function actorOf(session: Session | undefined): string {
  return session?.kind === "staff" ? session.userId : "unknown"
}
