import { A, useNavigate } from "@solidjs/router"
import { createSignal, type JSX, Show } from "solid-js"
import { describeError, errorCode } from "../../lib/errors.js"
import { messageFor } from "../../lib/messages.js"
import { outboxMessage } from "../../lib/outboxMessages.js"
import { type LoginFactor, LoginRefused, staffLogin } from "../../lib/staffAuth.js"
import { offlineLogin } from "../../lib/staffCache.js"
import { pathForStage, retryText } from "../../lib/staffFactors.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { TextField } from "../../ui/Field.jsx"
import { AlertText, ProgressBar } from "../../ui/Notice.jsx"
import { ForgetDevice } from "../../ui/staff/ForgetDevice.jsx"

/**
 * Staff login: the password is stretched in a worker (with progress); only a key is sent. When
 * wrong passwords have locked the account, the page offers the ways the owner still gets in
 * (relay/README.md "Account lockout"): the password with an authenticator or backup code in one
 * request, or the recovery key.
 */
export default function Login(): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const [username, setUsername] = createSignal("")
  const [password, setPassword] = createSignal("")
  const [progress, setProgress] = createSignal<number>()
  const [error, setError] = createSignal<string>()
  // Shown once the relay said LOCKED: the password plus a second-factor code.
  const [locked, setLocked] = createSignal(false)
  const [method, setMethod] = createSignal<LoginFactor["method"]>("totp")
  const [code, setCode] = createSignal("")

  const submit = async (e: Event) => {
    e.preventDefault()
    if (!username().trim() || !password()) return setError(messageFor("staff.loginRequired"))
    const typed = code().replace(/\s+/g, "")
    if (locked() && !typed) return setError(messageFor("staff.lockedCodeRequired"))
    const factor = locked() ? { method: method(), code: typed } : undefined
    setError(undefined)
    setProgress(0)
    try {
      // No connection: the copy this device keeps, opened with the password.
      const state = await staffLogin(username().trim(), password(), setProgress, factor).catch(
        (e) =>
          errorCode(e) === "NETWORK"
            ? offlineLogin(username().trim(), password(), setProgress)
            : Promise.reject(e),
      )
      setPassword("")
      setCode("")
      staff.set(state)
      navigate(pathForStage(state.stage))
    } catch (e) {
      const retry = e instanceof LoginRefused && e.retryAfter ? ` ${retryText(e.retryAfter)}` : ""
      const code = errorCode(e)
      if (code === "OFFLINE_NO_COPY") setError(outboxMessage("staffCache.noCopy"))
      else if (code === "OFFLINE_OPRF") setError(outboxMessage("staffCache.oprf"))
      else if (code === "LOCKED" && !factor) {
        setLocked(true)
        setError(`${messageFor("staff.lockedOffer")}${retry}`)
      } else setError(`${describeError(e)}${retry}`)
    } finally {
      setProgress(undefined)
    }
  }

  return (
    <>
      <h1>Staff login</h1>
      <form class="card" onSubmit={submit} novalidate>
        <TextField
          label="Username"
          autocomplete="username"
          name="username"
          required
          value={username()}
          onInput={setUsername}
        />
        <TextField
          label="Password"
          type="password"
          autocomplete="current-password"
          name="password"
          required
          value={password()}
          onInput={setPassword}
        />
        <Show when={locked()}>
          <fieldset class="lock-bypass">
            <legend>{messageFor("staff.lockedLegend")}</legend>
            <p class="muted">{messageFor("staff.lockedHelp")}</p>
            <div class="field">
              <label>
                <input
                  type="radio"
                  name="factor-method"
                  value="totp"
                  checked={method() === "totp"}
                  onChange={() => setMethod("totp")}
                />{" "}
                {messageFor("staff.lockedTotp")}
              </label>
              <label>
                <input
                  type="radio"
                  name="factor-method"
                  value="backup"
                  checked={method() === "backup"}
                  onChange={() => setMethod("backup")}
                />{" "}
                {messageFor("staff.lockedBackup")}
              </label>
            </div>
            <TextField
              label={
                method() === "totp"
                  ? (messageFor("staff.lockedTotpCode") ?? "")
                  : (messageFor("staff.lockedBackupCode") ?? "")
              }
              autocomplete="one-time-code"
              name="code"
              required
              value={code()}
              onInput={setCode}
            />
            <p>
              <A href="/staff/recover">{messageFor("staff.lockedRecovery")}</A>
            </p>
          </fieldset>
        </Show>
        <AlertText text={error()} />
        <Show when={progress() !== undefined}>
          <ProgressBar
            label={messageFor("staff.step.login") ?? ""}
            done={progress() ?? 0}
            total={1}
          />
        </Show>
        <button type="submit" disabled={progress() !== undefined}>
          {locked() ? messageFor("staff.lockedSubmit") : "Log in"}
        </button>
      </form>
      <ForgetDevice />
      <p>
        <A href="/staff/recover">Forgot your password? Use your recovery key</A>
      </p>
    </>
  )
}
