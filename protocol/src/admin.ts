import { Type } from "@sinclair/typebox"
import { Id, Obj, Time } from "./common.js"
import { route } from "./route.js"

// Route specs of the "admin" group: the node's mail health, for admins.

/** A mail address: one `@`, no spaces, quotes, brackets or separators; at most 254 characters. */
const MailAddress = Type.String({
  pattern: '^[^\\s@<>()\\[\\],;:"\\\\]+@[^\\s@<>()\\[\\],;:"\\\\]+\\.[^\\s@<>()\\[\\],;:"\\\\]+$',
  maxLength: 254,
  description: "mail address",
})

/** One mail the relay gave up on after its last attempt (from the audit log; never the content). */
const MailFailure = Obj({
  id: Id,
  at: Time,
  /** The staff user id, or `mail:<sha256 of the address>` for mail not meant for a user. */
  target: Type.String(),
  attempts: Type.Integer({ minimum: 1 }),
  template: Type.String(),
  error: Type.String({ description: "transport error code and SMTP status, e.g. EENVELOPE 550" }),
})

/** Recent notification mails that could not be delivered, newest first. */
export const listMailFailures = route({
  id: "listMailFailures",
  method: "GET",
  path: "/api/v1/admin/mail-failures",
  summary: "Notification mails the relay gave up on, newest first",
  access: ["admin"],
  query: Obj({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
  response: Obj({ failures: Type.Array(MailFailure) }),
})

/** Queues a test mail to an address, to check the SMTP settings. 409 CONFLICT when mail is off. */
export const sendTestMail = route({
  id: "sendTestMail",
  method: "POST",
  path: "/api/v1/admin/test-mail",
  summary: "Queue a test mail to check the SMTP settings (409 when mail is off)",
  access: ["admin"],
  body: Obj({ to: MailAddress }),
  bodyLimit: 1024,
  response: Obj({ queued: Type.Literal(true) }),
  status: 202,
})
