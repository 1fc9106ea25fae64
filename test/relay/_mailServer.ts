import type { AddressInfo } from "node:net"
import { SMTPServer } from "smtp-server"

/** One mail as the local SMTP server received it, with the body decoded. */
export interface ReceivedMail {
  readonly from: string
  readonly to: readonly string[]
  readonly subject: string
  readonly text: string
  /** The whole message as sent (headers and encoded body). */
  readonly raw: string
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
export interface TestMailServer {
  /** `smtp://127.0.0.1:<port>`, for the relay's SMTP_URL. */
  readonly url: string
  readonly port: number
  readonly received: ReceivedMail[]
  /** While true, every recipient is refused with 550. */
  rejectRecipients: boolean
  /**
   * While true, a message's data is read and never answered: the sender waits (until its socket
   * timeout or its death) and nothing is received. The sender's port lands in `stalled`.
   */
  stallData: boolean
  /** The client port of every message stalled by `stallData`, in order. */
  readonly stalled: number[]
  close(): Promise<void>
}

/** Starts a plain (no TLS, no auth) SMTP server on a random port, or on `port` to reopen one. */
export async function startMailServer(port = 0): Promise<TestMailServer> {
  const received: ReceivedMail[] = []
  const stalled: number[] = []
  const self: { rejectRecipients: boolean; stallData: boolean } = {
    rejectRecipients: false,
    stallData: false,
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    closeTimeout: 500,
    logger: false,
    disableReverseLookup: true,
    onRcptTo(_address, _session, callback) {
      if (!self.rejectRecipients) return callback()
      callback(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }))
    },
    onData(stream, session, callback) {
      if (self.stallData) {
        stalled.push(session.remotePort)
        stream.resume()
        return
      }
      const parts: Buffer[] = []
      stream.on("data", (b: Buffer) => parts.push(b))
      stream.on("end", () => {
        const raw = Buffer.concat(parts).toString("utf8")
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parse(raw),
          raw,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve))
  const actual = (server.server.address() as AddressInfo).port
  return Object.assign(self, {
    url: `smtp://127.0.0.1:${actual}`,
    port: actual,
    received,
    stalled,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

// Splits headers from the body and undoes quoted-printable, enough for the relay's plain mails.
function parse(raw: string): { subject: string; text: string } {
  const split = raw.indexOf("\r\n\r\n")
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ")
  const body = raw.slice(split + 4)
  const subject = /^Subject: (.*)$/im.exec(head)?.[1] ?? ""
  const qp = /^Content-Transfer-Encoding: quoted-printable/im.test(head)
  const text = qp
    ? body
        .replace(/=\r\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    : body
  return { subject, text: text.replace(/\r\n/g, "\n") }
}
