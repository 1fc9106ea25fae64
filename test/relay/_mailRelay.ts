import type { Clock } from "@sotto/relay"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { startMailServer, type TestMailServer } from "./_mailServer.js"
import { adminSession, seedNode } from "./_timerSeeds.js"

// A relay that mails through a local SMTP server, for the notification and admin mail tests.

/** Starts an SMTP server and a relay mailing through it, on a node named "Example Node". */
export async function startMailRelay(
  clock: Clock,
): Promise<{ smtp: TestMailServer; t: TestRelay }> {
  const smtp = await startMailServer()
  const t = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
  await seedNode(t, "Example Node")
  await t.relay.timers.runDue()
  return { smtp, t }
}

/** Stops the relay (deleting its data dir) and then the SMTP server. */
export async function stopMailRelay(t: TestRelay, smtp: TestMailServer): Promise<void> {
  await t.destroy()
  await smtp.close()
}

/**
 * Readies the next test: empties the inbox, accepts every recipient again and returns a fresh
 * admin session (tests move the clock past the admin idle timeout).
 */
export async function nextMailTest(t: TestRelay, smtp: TestMailServer): Promise<string> {
  smtp.received.length = 0
  smtp.rejectRecipients = false
  return adminSession(t)
}
