import { useNavigate } from "@solidjs/router"
import { createSignal, type JSX, Match, Switch } from "solid-js"
import { messageFor } from "../../lib/messages.js"
import { nodeChanged } from "../../lib/nodeInfo.js"
import {
  isValidUsername,
  normaliseUsername,
  type PreparedSetup,
  prepareSetup,
} from "../../lib/staffSetup.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { TextField } from "../../ui/Field.jsx"
import { ErrorNotice, ProgressBar } from "../../ui/Notice.jsx"
import { checkNewPassword, PasswordFields } from "../../ui/staff/PasswordFields.jsx"
import { RecoveryKeyStep } from "../../ui/staff/RecoveryKeyStep.jsx"
import { EscrowChoice } from "./EscrowChoice.jsx"

type Step = "node" | "admin" | "escrow" | "keys" | "recovery"
const STEPS: readonly Step[] = ["node", "admin", "escrow", "keys", "recovery"]

/**
 * The first-run wizard: node name, first admin, escrow choice, keys made in this browser (in the
 * workers), the admin's recovery key confirmed saved; only then is the setup sent, and the admin
 * lands logged in on the inbox.
 */
export default function Setup(): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const [step, setStep] = createSignal<Step>("node")
  const [nodeName, setNodeName] = createSignal("")
  const [username, setUsername] = createSignal("")
  const [name, setName] = createSignal("")
  const [password, setPassword] = createSignal("")
  const [confirm, setConfirm] = createSignal("")
  const [escrow, setEscrow] = createSignal(true)
  const [fieldError, setFieldError] = createSignal<Record<string, string | undefined>>({})
  const [error, setError] = createSignal<unknown>()
  const [progress, setProgress] = createSignal(0)
  const [prepared, setPrepared] = createSignal<PreparedSetup>()
  const [sending, setSending] = createSignal(false)
  const userInputs = () => [username(), name(), nodeName()]

  const nodeNext = (e: Event) => {
    e.preventDefault()
    if (!nodeName().trim()) return setFieldError({ node: messageFor("staff.required") })
    setFieldError({})
    setStep("admin")
  }

  const adminNext = async (e: Event) => {
    e.preventDefault()
    const errors: Record<string, string | undefined> = {}
    if (!isValidUsername(normaliseUsername(username())))
      errors.username = messageFor("staff.usernameInvalid")
    if (!name().trim()) errors.name = messageFor("staff.required")
    try {
      errors.password = await checkNewPassword(password(), confirm(), userInputs())
    } catch (e) {
      setError(e)
      return
    }
    setFieldError(errors)
    if (Object.values(errors).some(Boolean)) return
    setStep("escrow")
  }

  const makeKeys = async (e: Event) => {
    e.preventDefault()
    setStep("keys")
    setError(undefined)
    setProgress(0)
    try {
      const ready = await prepareSetup(
        {
          nodeName: nodeName(),
          username: username(),
          name: name(),
          password: password(),
          escrow: escrow(),
        },
        setProgress,
      )
      setPrepared(ready)
      setStep("recovery")
    } catch (e) {
      setError(e)
      setStep("escrow")
    }
  }

  const send = async () => {
    const ready = prepared()
    if (!ready) return
    setSending(true)
    setError(undefined)
    try {
      const state = await ready.send()
      // Forget the password as soon as it is no longer needed.
      setPassword("")
      setConfirm("")
      staff.set(state)
      // The header and the cached node answer still say "not set up".
      await nodeChanged()
      navigate("/staff/inbox", { replace: true })
    } catch (e) {
      setError(e)
    } finally {
      setSending(false)
    }
  }

  return (
    <>
      <h1>Set up this Sotto node</h1>
      <p aria-live="polite">
        Step {STEPS.indexOf(step()) + 1} of {STEPS.length}
      </p>
      <ErrorNotice error={error()} />
      <Switch>
        <Match when={step() === "node"}>
          <form class="card" onSubmit={nodeNext} novalidate>
            <h2>Your node</h2>
            <TextField
              label="Node name"
              required
              value={nodeName()}
              onInput={setNodeName}
              help="Shown to whistleblowers, e.g. the name of your organisation."
              error={fieldError().node}
            />
            <button type="submit">Continue</button>
          </form>
        </Match>
        <Match when={step() === "admin"}>
          <form class="card" onSubmit={adminNext} novalidate>
            <h2>The first administrator</h2>
            <p>{messageFor("setup.adminExplain")}</p>
            <TextField
              label="Username"
              required
              autocomplete="username"
              value={username()}
              onInput={setUsername}
              help="Lower-case letters, digits, dots, dashes or underscores (2 to 64)."
              error={fieldError().username}
            />
            <TextField
              label="Your name"
              required
              autocomplete="name"
              value={name()}
              onInput={setName}
              error={fieldError().name}
            />
            <PasswordFields
              password={password()}
              confirm={confirm()}
              onPassword={setPassword}
              onConfirm={setConfirm}
              userInputs={userInputs()}
              error={fieldError().password}
            />
            <div class="actions">
              <button type="button" class="secondary" onClick={() => setStep("node")}>
                Back
              </button>
              <button type="submit">Continue</button>
            </div>
          </form>
        </Match>
        <Match when={step() === "escrow"}>
          <EscrowChoice
            escrow={escrow()}
            onChange={setEscrow}
            onBack={() => setStep("admin")}
            onSubmit={makeKeys}
          />
        </Match>
        <Match when={step() === "keys"}>
          <section class="card">
            <h2>Making the node's keys in this browser</h2>
            <ProgressBar label={messageFor("staff.step.keys") ?? ""} done={progress()} total={1} />
          </section>
        </Match>
        <Match when={step() === "recovery" && prepared()}>
          {(ready) => (
            <RecoveryKeyStep
              grouped={ready().grouped}
              username={normaliseUsername(username())}
              nodeName={nodeName()}
              action="Finish setup"
              busy={sending()}
              onConfirmed={send}
            />
          )}
        </Match>
      </Switch>
    </>
  )
}
