import { Type } from "@sinclair/typebox"
import { Id, Key32, Obj, Ok, Recipient, Signature64 } from "./common.js"
import { route } from "./route.js"

// Route specs of the "contexts" group: where whistleblowers report, what they are asked, and the
// signed key directory naming who receives. Reading is public (the submission form needs it);
// writing is for admins, whose browser signs the directory with the node signing key.

/** Most recipients one context may have (every tip carries one wrap per recipient). */
export const MAX_RECIPIENTS = 32
/** Most questions one questionnaire may have. */
export const MAX_QUESTIONS = 100
/** The largest plain file a context may allow (the age file is slightly larger). */
export const MAX_CONTEXT_FILE_BYTES = 8 * 1024 ** 3

/** The kinds of questionnaire field; `select` and `multiselect` need `options`, others refuse them. */
export const QuestionType = Type.Union([
  Type.Literal("text"),
  Type.Literal("textarea"),
  Type.Literal("select"),
  Type.Literal("multiselect"),
  Type.Literal("checkbox"),
  Type.Literal("date"),
  Type.Literal("file"),
])

/** One questionnaire field (the answers themselves are sealed in the whistleblower's browser). */
export const Question = Obj({
  id: Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$", description: "field id" }),
  type: QuestionType,
  label: Type.String({ minLength: 1, maxLength: 500 }),
  help: Type.Optional(Type.String({ maxLength: 2000 })),
  required: Type.Boolean(),
  /**
   * An identity field (issue 17): its answer is sealed apart, to the context's custodians only.
   * Refused (400 VALIDATION) on a context without custodians.
   */
  identity: Type.Optional(Type.Boolean()),
  options: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
    }),
  ),
})

/** A context's questionnaire: typed fields with unique ids. */
export const Questionnaire = Type.Array(Question, { maxItems: MAX_QUESTIONS })

/** One person in a signed directory. */
const DirectoryEntry = Obj({
  id: Id,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  recipient: Recipient,
  /** The user's account signing key: their transcript entries verify under it. */
  signer: Type.Optional(Key32),
})

/** Most identity custodians one context may have. */
export const MAX_CUSTODIANS = 8

/** crypto-core `SignedKeyDirectory`: the recipients of one context, signed by the node key. */
export const SignedKeyDirectory = Obj({
  directory: Obj({
    v: Type.Literal(2),
    context: Id,
    version: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    issuedAt: Type.String({ minLength: 1, maxLength: 40, description: "ISO 8601 time" }),
    expiresAt: Type.String({ minLength: 1, maxLength: 40, description: "ISO 8601 time" }),
    recipients: Type.Array(DirectoryEntry, { maxItems: MAX_RECIPIENTS }),
    /** The identity custodians, signed apart from the recipients (SPEC §8). */
    custodians: Type.Optional(Type.Array(DirectoryEntry, { maxItems: MAX_CUSTODIANS })),
  }),
  signer: Key32,
  signature: Signature64,
})

/**
 * A context's EU Directive (2019/1937) periods: days to acknowledge a tip (default 7) and to give
 * feedback after the acknowledgement (default 90), and which staff action acknowledges: the first
 * staff comment, the first status change, or either (the default).
 */
export const ContextDeadlines = Obj({
  ackDays: Type.Integer({ minimum: 1, maximum: 365 }),
  feedbackDays: Type.Integer({ minimum: 1, maximum: 365 }),
  acknowledgeBy: Type.Union([
    Type.Literal("comment"),
    Type.Literal("status"),
    Type.Literal("either"),
  ]),
})

/** What a whistleblower's form needs to know about a context. */
export const ContextView = Obj({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  questionnaire: Questionnaire,
  maxFiles: Type.Integer({ minimum: 0 }),
  maxFileBytes: Type.Integer({ minimum: 1 }),
  expiryDays: Type.Integer({ minimum: 1 }),
  /** The periods in force (the defaults when the admin set none). */
  deadlines: ContextDeadlines,
})

const contextFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.String({ maxLength: 5000 }),
  recipients: Type.Array(Id, { minItems: 1, maxItems: MAX_RECIPIENTS, uniqueItems: true }),
  questionnaire: Questionnaire,
  expiryDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  maxFiles: Type.Integer({ minimum: 0, maximum: 100 }),
  maxFileBytes: Type.Integer({ minimum: 1, maximum: MAX_CONTEXT_FILE_BYTES }),
  directory: SignedKeyDirectory,
  /** The identity custodians (users with the custodian role), also signed into the directory. */
  custodians: Type.Optional(Type.Array(Id, { maxItems: MAX_CUSTODIANS, uniqueItems: true })),
  /** Absent: the directive's defaults (7 and 90 days, either action acknowledges). */
  deadlines: Type.Optional(ContextDeadlines),
}

const ContextParams = Obj({ contextId: Id })
// A full directory of 32 entries is about 6 KiB; 100 of the longest questions about 1.3 MiB.
const CONTEXT_BODY_LIMIT = 2 * 1024 * 1024

/** Every context, for the whistleblower's first screen. */
export const listContexts = route({
  id: "listContexts",
  method: "GET",
  path: "/api/v1/contexts",
  summary: "The contexts a whistleblower can report to",
  access: "public",
  response: Obj({ contexts: Type.Array(ContextView) }),
})

/** One context. 404 NOT_FOUND when there is none. */
export const getContext = route({
  id: "getContext",
  method: "GET",
  path: "/api/v1/contexts/:contextId",
  summary: "One context: its questionnaire and file limits",
  access: "public",
  params: ContextParams,
  response: ContextView,
})

/** The signed key directory of a context; the browser verifies it against its pinned node key. */
export const getContextDirectory = route({
  id: "getContextDirectory",
  method: "GET",
  path: "/api/v1/contexts/:contextId/directory",
  summary: "The signed key directory of a context (who a tip is wrapped to)",
  access: "public",
  params: ContextParams,
  response: SignedKeyDirectory,
})

/**
 * Creates a context. `id` is drawn by the admin's browser, which must sign it into the directory.
 * 409 CONFLICT when the id is taken; 400 VALIDATION for unknown, disabled or keyless recipients
 * and inconsistent questions; 422 BAD_DIRECTORY when the directory does not verify with the node
 * signing key, names another context, or does not list exactly the recipients and their keys.
 */
export const createContext = route({
  id: "createContext",
  method: "POST",
  path: "/api/v1/contexts",
  summary: "Create a context with its questionnaire and signed key directory",
  access: ["admin"],
  body: Obj({ id: Id, ...contextFields }),
  bodyLimit: CONTEXT_BODY_LIMIT,
  response: Obj({ id: Id }),
  status: 201,
})

/**
 * Replaces a context's settings and directory (same checks as {@link createContext}; a directory
 * issued before the stored one is refused as a rollback). Existing tips keep their wraps.
 */
export const updateContext = route({
  id: "updateContext",
  method: "PUT",
  path: "/api/v1/contexts/:contextId",
  summary: "Replace a context's settings and signed key directory",
  access: ["admin"],
  params: ContextParams,
  body: Obj(contextFields),
  bodyLimit: CONTEXT_BODY_LIMIT,
  response: Obj({ id: Id }),
})

/** Deletes a context. 409 CONFLICT while any tip of it exists (delete or let them expire first). */
export const deleteContext = route({
  id: "deleteContext",
  method: "DELETE",
  path: "/api/v1/contexts/:contextId",
  summary: "Delete a context that has no tips",
  access: ["admin"],
  params: ContextParams,
  response: Ok,
})
