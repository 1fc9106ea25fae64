import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { messageFor } from "../../lib/messages.js"
import type { Enrolled } from "../../lib/staffFactors.js"
import {
  addKey,
  describeKeyError,
  type KeyInfo,
  removeKey,
  renameKey,
} from "../../lib/staffWebAuthn.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { TextField } from "../Field.jsx"
import { AlertText, ProgressBar } from "../Notice.jsx"

/**
 * The "Security keys" section: the registered keys (renamable, and removable after re-typing the
 * password when `manage` is set), and adding one under a name. The first key turns the factor on:
 * `onEnrolled` gets the backup codes to show; any other change calls `onChanged` with a note.
 */
export function WebAuthnFactors(props: {
  session: string
  keys: readonly KeyInfo[]
  manage: boolean
  onEnrolled: (done: Enrolled) => void
  onChanged: (note: string) => void
}): JSX.Element {
  const id = createUniqueId()
  const [name, setName] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()

  const add = async (e: Event) => {
    e.preventDefault()
    if (!name().trim()) return setError(messageFor("webauthn.nameRequired"))
    setBusy(true)
    setError(undefined)
    try {
      const done = await addKey(props.session, name())
      setName("")
      if (done.backupCodes) props.onEnrolled({ stage: done.stage, backupCodes: done.backupCodes })
      else props.onChanged(messageFor("webauthn.added") ?? "")
    } catch (e) {
      setError(describeKeyError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card" aria-labelledby={`${id}-h`} data-testid="webauthn-factors">
      <h2 id={`${id}-h`}>Security keys and passkeys</h2>
      <p>{messageFor("webauthn.explain")}</p>
      <Show when={props.keys.length > 0}>
        <ul class="plain">
          <For each={props.keys}>
            {(key) => (
              <KeyRow
                key={key}
                manage={props.manage}
                session={props.session}
                onChanged={props.onChanged}
              />
            )}
          </For>
        </ul>
      </Show>
      <form onSubmit={add} novalidate>
        <TextField
          label="Name of the new key"
          name="webauthn-name"
          value={name()}
          onInput={setName}
          help="For example Desk key or Phone, so you can tell your keys apart."
        />
        <Show when={busy()}>
          <p aria-live="polite">{messageFor("webauthn.waiting")}</p>
        </Show>
        <div class="actions">
          <button type="submit" disabled={busy()}>
            Add security key
          </button>
        </div>
      </form>
      <AlertText text={error()} />
    </section>
  )
}

/** One registered key: its name and dates, with rename and (re-authenticated) removal. */
function KeyRow(props: {
  key: KeyInfo
  manage: boolean
  session: string
  onChanged: (note: string) => void
}): JSX.Element {
  const staff = useStaffSession()
  const [mode, setMode] = createSignal<"rename" | "remove">()
  const [text, setText] = createSignal("")
  const [progress, setProgress] = createSignal<number>()
  const [error, setError] = createSignal<string>()

  const open = (next: "rename" | "remove") => {
    setText(next === "rename" ? props.key.name : "")
    setError(undefined)
    setMode(next)
  }
  const submit = async (e: Event) => {
    e.preventDefault()
    const s = staff.state()
    if (!s) return
    const renaming = mode() === "rename"
    if (!text().trim()) {
      return setError(messageFor(renaming ? "webauthn.nameRequired" : "factor.passwordRequired"))
    }
    setError(undefined)
    setProgress(0)
    try {
      if (renaming) await renameKey(props.session, props.key.id, text())
      else await removeKey(s, props.key.id, text(), setProgress)
      setText("")
      setMode(undefined)
      props.onChanged(renaming ? "" : (messageFor("webauthn.removed") ?? ""))
    } catch (e) {
      setError(describeKeyError(e))
    } finally {
      setProgress(undefined)
    }
  }

  return (
    <li data-testid="webauthn-key">
      <strong>{props.key.name}</strong>{" "}
      <small>
        added {formatTime(props.key.createdAt)}
        {props.key.lastUsedAt ? `, last used ${formatTime(props.key.lastUsedAt)}` : ""}
      </small>
      <Show
        when={mode()}
        fallback={
          <Show when={props.manage}>
            <div class="actions">
              <button type="button" class="secondary" onClick={() => open("rename")}>
                Rename {props.key.name}…
              </button>
              <button type="button" class="secondary" onClick={() => open("remove")}>
                Remove {props.key.name}…
              </button>
            </div>
          </Show>
        }
      >
        <form onSubmit={submit} novalidate>
          <Show
            when={mode() === "rename"}
            fallback={
              <TextField
                label="Current password"
                type="password"
                autocomplete="current-password"
                name="webauthn-password"
                value={text()}
                onInput={setText}
                help="Removing a security key needs your password again."
              />
            }
          >
            <TextField label="New name" name="webauthn-rename" value={text()} onInput={setText} />
          </Show>
          <Show when={progress() !== undefined && mode() === "remove"}>
            <ProgressBar
              label={messageFor("factor.step.reauth") ?? ""}
              done={progress() ?? 0}
              total={1}
            />
          </Show>
          <div class="actions">
            <button
              type="submit"
              class={mode() === "remove" ? "danger" : ""}
              disabled={progress() !== undefined}
            >
              {mode() === "remove" ? `Remove ${props.key.name}` : "Save name"}
            </button>
            <button type="button" class="secondary" onClick={() => setMode(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <AlertText text={error()} />
    </li>
  )
}
