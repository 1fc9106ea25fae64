import { createSignal, type JSX, Show } from "solid-js"
import { type NodeSettingsView, saveSettings } from "../../lib/adminApi.js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { AdminError } from "./AdminShell.jsx"

type TipPolicy = NodeSettingsView["tipPolicy"]

/**
 * Who may delete reports and revoke other staff's access (node setting `tipPolicy`): admins only
 * (the default, as in GlobaLeaks) or any staff member holding the report. Leaving a report is
 * always allowed; every deletion and revocation is in the audit log.
 */
export function TipPolicyForm(props: {
  admin: AdminKeys
  settings: NodeSettingsView
}): JSX.Element {
  const [policy, setPolicy] = createSignal<TipPolicy>(props.settings.tipPolicy)
  const [error, setError] = createSignal<unknown>()
  const [saved, setSaved] = createSignal<TipPolicy>()
  const save = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    setSaved(undefined)
    try {
      setSaved((await saveSettings(props.admin.session, { tipPolicy: policy() })).tipPolicy)
    } catch (err) {
      setError(err)
    }
  }
  const option = (value: TipPolicy, label: string) => (
    <label class="check">
      <input
        type="radio"
        name="tip-policy"
        value={value}
        checked={policy() === value}
        onChange={() => setPolicy(value)}
      />{" "}
      {label}
    </label>
  )
  return (
    <form class="card" onSubmit={save} noValidate aria-label="Deleting reports">
      <fieldset class="field">
        <legend>Who may delete reports and revoke other staff's access</legend>
        {option("admins", "Administrators only (recommended)")}
        {option("holders", "Any staff member who holds the report")}
        <small>Anyone may leave a report. Deletions and revocations are in the audit log.</small>
      </fieldset>
      <AdminError error={error()} />
      <Show when={saved()}>
        {(now) => (
          <p class="notice" role="status" data-tip-policy={now()}>
            Saved: {now() === "admins" ? "only administrators" : "any holder"} may delete reports.
          </p>
        )}
      </Show>
      <button type="submit">Save deletion policy</button>
    </form>
  )
}
