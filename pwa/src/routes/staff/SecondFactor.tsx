import { useNavigate } from "@solidjs/router"
import {
  createResource,
  createSignal,
  createUniqueId,
  For,
  type JSX,
  onMount,
  Show,
} from "solid-js"
import { messageFor } from "../../lib/messages.js"
import { staffLogout } from "../../lib/staffAuth.js"
import {
  describeFactorError,
  type Enrolled,
  type FactorStatus,
  loadFactors,
  mailCode,
  type ProofMethod,
  pathForStage,
  verifyFactor,
} from "../../lib/staffFactors.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { TextField } from "../../ui/Field.jsx"
import { AlertText, ErrorNotice } from "../../ui/Notice.jsx"
import { BackupCodesStep } from "../../ui/staff/BackupCodesStep.jsx"
import { EmailFactorEnrol } from "../../ui/staff/EmailFactorEnrol.jsx"
import { TotpEnrol } from "../../ui/staff/TotpEnrol.jsx"
import { WebAuthnFactors } from "../../ui/staff/WebAuthnFactors.jsx"
import { WebAuthnVerify } from "../../ui/staff/WebAuthnVerify.jsx"

const METHOD_LABEL: Record<ProofMethod, string> = {
  totp: "Code from your authenticator app",
  email: "Code mailed to you",
  backup: "Backup code",
}

/** The ways this account can prove itself, in the order offered. */
function methodsOf(f: FactorStatus): ProofMethod[] {
  return [
    ...(f.totp === "on" ? (["totp"] as const) : []),
    ...(f.email === "on" ? (["email"] as const) : []),
    ...(f.backupCodesLeft > 0 ? (["backup"] as const) : []),
  ]
}

/**
 * The second step of a staff login. At stage `second-factor`: prove a factor (app code, mailed
 * code or backup code), then the identity opens and the login goes on. At `second-factor-enrol`
 * (the role requires a factor the account lacks): enrol one, save the backup codes, then go on.
 */
export default function SecondFactor(): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const session = () => staff.state()?.session
  const enrolMode = () => staff.state()?.stage === "second-factor-enrol"
  const [factors] = createResource(session, loadFactors)

  onMount(() => {
    const stage = staff.state()?.stage
    if (stage !== "second-factor" && stage !== "second-factor-enrol") {
      navigate("/staff", { replace: true })
    }
  })
  const logout = async () => {
    const s = staff.state()
    staff.clear()
    if (s) await staffLogout(s.session)
    navigate("/staff", { replace: true })
  }

  return (
    <>
      <h1>{enrolMode() ? "Set up a second factor" : "Second factor"}</h1>
      <ErrorNotice error={factors.error} />
      <Show when={!factors.error && factors.latest}>
        {(f) => (
          <Show when={enrolMode()} fallback={<Verify factors={f()} />}>
            <Enrol factors={f()} />
          </Show>
        )}
      </Show>
      <p>
        <button type="button" class="secondary" onClick={logout}>
          Log out
        </button>
      </p>
    </>
  )
}

/** Stage `second-factor`: choose a way, type the code, and the login goes on. */
function Verify(props: { factors: FactorStatus }): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const name = createUniqueId()
  const methods = () => methodsOf(props.factors)
  const [method, setMethod] = createSignal<ProofMethod>(methodsOf(props.factors)[0] ?? "backup")
  const [code, setCode] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [mailed, setMailed] = createSignal(false)
  const [error, setError] = createSignal<string>()

  const mail = async () => {
    const s = staff.state()
    if (!s) return
    setBusy(true)
    setError(undefined)
    try {
      await mailCode(s.session)
      setMailed(true)
    } catch (e) {
      setError(describeFactorError(e))
    } finally {
      setBusy(false)
    }
  }
  const submit = async (e: Event) => {
    e.preventDefault()
    const s = staff.state()
    if (!s) return
    if (!code().trim()) return setError(messageFor("factor.codeRequired"))
    setBusy(true)
    setError(undefined)
    try {
      const next = await verifyFactor(s, method(), code())
      setCode("")
      staff.set(next)
      navigate(pathForStage(next.stage), { replace: true })
    } catch (e) {
      setError(describeFactorError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card" onSubmit={submit} novalidate>
      <p>{messageFor("factor.verifyExplain")}</p>
      <fieldset>
        <legend>How do you confirm it is you?</legend>
        <For each={methods()}>
          {(m) => (
            <label class="check">
              <input
                type="radio"
                name={name}
                value={m}
                checked={method() === m}
                onChange={() => {
                  setMethod(m)
                  setError(undefined)
                }}
              />
              {METHOD_LABEL[m]}
            </label>
          )}
        </For>
      </fieldset>
      <Show when={method() === "email"}>
        <div class="actions">
          <button type="button" class="secondary" onClick={mail} disabled={busy()}>
            {mailed() ? "Mail me another code" : "Mail me a code"}
          </button>
        </div>
        <Show when={mailed()}>
          <p class="notice ok" aria-live="polite">
            {messageFor("factor.emailSent")}
          </p>
        </Show>
      </Show>
      <TextField
        label="Code"
        name="code"
        autocomplete="one-time-code"
        help={
          method() === "backup"
            ? "One of the backup codes you saved (xxxxx-xxxxx)."
            : method() === "email"
              ? "The 8 digits from the e-mail."
              : "The 6 digits your app shows now."
        }
        value={code()}
        onInput={setCode}
      />
      <AlertText text={error()} />
      <div class="actions">
        <button type="submit" disabled={busy()}>
          Confirm
        </button>
        <Show when={props.factors.webauthn.length > 0}>
          <WebAuthnVerify onError={setError} />
        </Show>
      </div>
    </form>
  )
}

/** Stage `second-factor-enrol`: set up a factor, save the backup codes, then go on. */
function Enrol(props: { factors: FactorStatus }): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const [enrolled, setEnrolled] = createSignal<Enrolled>()
  const session = () => staff.state()?.session ?? ""
  const done = () => {
    const s = staff.state()
    const result = enrolled()
    if (!s || !result) return
    staff.set({ ...s, stage: result.stage })
    navigate(pathForStage(result.stage), { replace: true })
  }
  return (
    <Show
      when={enrolled()}
      fallback={
        <>
          <p class="notice warn">{messageFor("factor.enrolExplain")}</p>
          <TotpEnrol session={session()} onEnrolled={setEnrolled} />
          <EmailFactorEnrol
            session={session()}
            available={props.factors.emailAvailable}
            onEnrolled={setEnrolled}
          />
          <WebAuthnFactors
            session={session()}
            keys={props.factors.webauthn}
            manage={false}
            onEnrolled={setEnrolled}
            onChanged={() => undefined}
          />
        </>
      }
    >
      {(r) => (
        <BackupCodesStep
          codes={r().backupCodes}
          username={staff.state()?.username ?? ""}
          action="Continue"
          onConfirmed={done}
        />
      )}
    </Show>
  )
}
