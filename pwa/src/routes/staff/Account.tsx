import { createResource, createSignal, createUniqueId, type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { loadOwnKey } from "../../lib/keyCertification.js"
import { messageFor } from "../../lib/messages.js"
import {
  describeFactorError,
  type Enrolled,
  loadFactors,
  removeFactor,
} from "../../lib/staffFactors.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { TextField } from "../../ui/Field.jsx"
import { AlertText, ErrorNotice, ProgressBar } from "../../ui/Notice.jsx"
import { BackupCodesStep } from "../../ui/staff/BackupCodesStep.jsx"
import { EmailFactorEnrol } from "../../ui/staff/EmailFactorEnrol.jsx"
import { NodeKeyCheck } from "../../ui/staff/NodeKeyCheck.jsx"
import { StaffBar } from "../../ui/staff/StaffBar.jsx"
import { TotpEnrol } from "../../ui/staff/TotpEnrol.jsx"
import { WebAuthnFactors } from "../../ui/staff/WebAuthnFactors.jsx"

/**
 * The staff member's own account: their key's fingerprint, the node key's (checked against this
 * browser's pin), second factors (authenticator app, e-mail codes, backup codes
 * left), each enrolable here and removable after re-typing the password.
 */
export default function Account(): JSX.Element {
  const staff = useStaffSession()
  const session = () => staff.state()?.session
  const [factors, { refetch }] = createResource(session, loadFactors)
  const [ownKey] = createResource(session, (s) => loadOwnKey(s, staff.state()?.recipient))
  const [enrolled, setEnrolled] = createSignal<Enrolled>()
  const [note, setNote] = createSignal<string>()

  const onEnrolled = (done: Enrolled) => {
    setNote(undefined)
    setEnrolled(done)
  }
  const onRemoved = () => {
    setNote(messageFor("factor.removed"))
    void refetch()
  }

  return (
    <>
      <StaffBar />
      <h1>Account</h1>
      <ErrorNotice error={ownKey.error} />
      <Show when={ownKey.latest?.escrowResetAt}>
        {(at) => (
          <p class="notice warn" data-testid="escrow-reset">
            Your password was reset by an administrator on {formatTime(at())}, with the escrow key.
            If you did not ask for this, tell your other administrators.
          </p>
        )}
      </Show>
      <Show when={ownKey.latest?.fingerprint}>
        {(words) => (
          <p data-testid="own-fingerprint">
            Your key's fingerprint (an administrator can compare it aloud or on paper):{" "}
            <span class="mono">{words().join(" ")}</span>
          </p>
        )}
      </Show>
      <NodeKeyCheck />
      <ErrorNotice error={factors.error} />
      <Show when={note()}>
        <p class="notice ok" aria-live="polite">
          {note()}
        </p>
      </Show>
      <Show when={enrolled()}>
        {(r) => (
          <BackupCodesStep
            codes={r().backupCodes}
            username={staff.state()?.username ?? ""}
            action="Done"
            onConfirmed={() => {
              setEnrolled(undefined)
              void refetch()
            }}
          />
        )}
      </Show>
      <Show when={!enrolled() && !factors.error && factors.latest}>
        {(f) => (
          <>
            <h2>Second factors</h2>
            <ul data-testid="factor-status">
              <li>Authenticator app: {f().totp === "on" ? "on" : "off"}</li>
              <li>E-mail codes: {f().email === "on" ? "on" : "off"}</li>
              <li>Security keys: {f().webauthn.length}</li>
              <li>Backup codes left: {f().backupCodesLeft}</li>
            </ul>
            <Show when={f().required}>
              <p class="muted">Your role requires a second factor: keep at least one on.</p>
            </Show>
            <Show
              when={f().totp === "on"}
              fallback={<TotpEnrol session={session() ?? ""} onEnrolled={onEnrolled} />}
            >
              <FactorRemove kind="totp" label="authenticator app" onRemoved={onRemoved} />
            </Show>
            <Show
              when={f().email === "on"}
              fallback={
                <EmailFactorEnrol
                  session={session() ?? ""}
                  available={f().emailAvailable}
                  onEnrolled={onEnrolled}
                />
              }
            >
              <FactorRemove kind="email" label="e-mail codes" onRemoved={onRemoved} />
            </Show>
            <WebAuthnFactors
              session={session() ?? ""}
              keys={f().webauthn}
              manage={true}
              onEnrolled={onEnrolled}
              onChanged={(text) => {
                setNote(text || undefined)
                void refetch()
              }}
            />
          </>
        )}
      </Show>
    </>
  )
}

/** Removes one factor after re-authentication (the password is stretched in the KDF worker). */
function FactorRemove(props: {
  kind: "totp" | "email"
  label: string
  onRemoved: () => void
}): JSX.Element {
  const staff = useStaffSession()
  const id = createUniqueId()
  const [open, setOpen] = createSignal(false)
  const [password, setPassword] = createSignal("")
  const [progress, setProgress] = createSignal<number>()
  const [error, setError] = createSignal<string>()

  const submit = async (e: Event) => {
    e.preventDefault()
    const s = staff.state()
    if (!s) return
    if (!password()) return setError(messageFor("factor.passwordRequired"))
    setError(undefined)
    setProgress(0)
    try {
      await removeFactor(s, props.kind, password(), setProgress)
      setPassword("")
      setOpen(false)
      props.onRemoved()
    } catch (e) {
      setError(describeFactorError(e))
    } finally {
      setProgress(undefined)
    }
  }

  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{props.kind === "totp" ? "Authenticator app" : "E-mail codes"}: on</h2>
      <Show
        when={open()}
        fallback={
          <button type="button" class="secondary" onClick={() => setOpen(true)}>
            Remove {props.label}…
          </button>
        }
      >
        <form onSubmit={submit} novalidate>
          <TextField
            label="Current password"
            type="password"
            autocomplete="current-password"
            name={`password-${props.kind}`}
            value={password()}
            onInput={setPassword}
            help="Removing a second factor needs your password again."
          />
          <Show when={progress() !== undefined}>
            <ProgressBar
              label={messageFor("factor.step.reauth") ?? ""}
              done={progress() ?? 0}
              total={1}
            />
          </Show>
          <div class="actions">
            <button type="submit" class="danger" disabled={progress() !== undefined}>
              Remove {props.label}
            </button>
            <button type="button" class="secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <AlertText text={error()} />
    </section>
  )
}
