import { A, useNavigate } from "@solidjs/router"
import { createSignal, type JSX, Show } from "solid-js"
import { describeError, errorCode } from "../../lib/errors.js"
import { messageFor } from "../../lib/messages.js"
import { outboxMessage } from "../../lib/outboxMessages.js"
import { LoginRefused, staffLogin } from "../../lib/staffAuth.js"
import { offlineLogin } from "../../lib/staffCache.js"
import { pathForStage, retryText } from "../../lib/staffFactors.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { TextField } from "../../ui/Field.jsx"
import { AlertText, ProgressBar } from "../../ui/Notice.jsx"
import { ForgetDevice } from "../../ui/staff/ForgetDevice.jsx"

/** Staff login: the password is stretched in a worker (with progress); only a key is sent. */
export default function Login(): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const [username, setUsername] = createSignal("")
  const [password, setPassword] = createSignal("")
  const [progress, setProgress] = createSignal<number>()
  const [error, setError] = createSignal<string>()

  const submit = async (e: Event) => {
    e.preventDefault()
    if (!username().trim() || !password()) return setError(messageFor("staff.loginRequired"))
    setError(undefined)
    setProgress(0)
    try {
      // No connection: the copy this device keeps, opened with the password.
      const state = await staffLogin(username().trim(), password(), setProgress).catch((e) =>
        errorCode(e) === "NETWORK"
          ? offlineLogin(username().trim(), password(), setProgress)
          : Promise.reject(e),
      )
      setPassword("")
      staff.set(state)
      navigate(pathForStage(state.stage))
    } catch (e) {
      const retry = e instanceof LoginRefused && e.retryAfter ? ` ${retryText(e.retryAfter)}` : ""
      const code = errorCode(e)
      if (code === "OFFLINE_NO_COPY") setError(outboxMessage("staffCache.noCopy"))
      else setError(`${describeError(e)}${retry}`)
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
        <AlertText text={error()} />
        <Show when={progress() !== undefined}>
          <ProgressBar
            label={messageFor("staff.step.login") ?? ""}
            done={progress() ?? 0}
            total={1}
          />
        </Show>
        <button type="submit" disabled={progress() !== undefined}>
          Log in
        </button>
      </form>
      <ForgetDevice />
      <p>
        <A href="/staff/recover">Forgot your password? Use your recovery key</A>
      </p>
    </>
  )
}
