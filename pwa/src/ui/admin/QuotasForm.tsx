import { createSignal, type JSX, Show } from "solid-js"
import { type NodeSettingsView, saveSettings } from "../../lib/adminApi.js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { errorField } from "../../lib/errors.js"
import { TextField } from "../Field.jsx"
import { AdminError } from "./AdminShell.jsx"

const MiB = 1024 * 1024
/** The schema's bounds (protocol `Quotas`), in MiB. */
const MAX_MIB = 2 ** 30
type Quotas = NodeSettingsView["quotas"]
const FIELDS: ReadonlyArray<[keyof Quotas, string, string]> = [
  [
    "tipFileBytes",
    "Files per report (MiB)",
    "Sealed file bytes one report may hold in all, unfinished uploads included.",
  ],
  ["contextBytes", "Per channel (MiB)", "What all reports of one channel may hold."],
  ["nodeBytes", "Whole node (MiB)", "What all reports of the node may hold."],
]

/**
 * The node's byte budgets in MiB. Past a report's file budget any upload is refused; past a
 * channel's or the node's, whistleblowers' writes are refused and staff writes go on.
 */
export function QuotasForm(props: {
  admin: AdminKeys
  quotas: Quotas
  onSaved: (settings: NodeSettingsView) => void
}): JSX.Element {
  const [values, setValues] = createSignal<Record<string, string>>(
    Object.fromEntries(FIELDS.map(([k]) => [k, String(Math.round(props.quotas[k] / MiB))])),
  )
  const [error, setError] = createSignal<unknown>()
  const [saved, setSaved] = createSignal(false)
  const save = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    setSaved(false)
    try {
      const quotas = Object.fromEntries(
        FIELDS.map(([k]) => [k, Math.round(Number(values()[k]) * MiB)]),
      ) as Quotas
      props.onSaved(await saveSettings(props.admin.session, { quotas }))
      setSaved(true)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <form class="card" onSubmit={save} noValidate aria-label="Storage budgets">
      <h2>Budgets</h2>
      {FIELDS.map(([key, label, help]) => (
        <TextField
          label={label}
          name={key}
          value={values()[key] ?? ""}
          onInput={(v) => setValues((m) => ({ ...m, [key]: v }))}
          help={help}
          error={
            errorField(error()) === `body.quotas.${key}`
              ? `A whole number of MiB from 1 to ${MAX_MIB}.`
              : undefined
          }
        />
      ))}
      <AdminError error={error()} />
      <Show when={saved()}>
        <p class="notice" role="status">
          Budgets saved.
        </p>
      </Show>
      <button type="submit">Save budgets</button>
    </form>
  )
}
