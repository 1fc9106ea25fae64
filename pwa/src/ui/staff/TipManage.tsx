import { useNavigate } from "@solidjs/router"
import { createSignal, createUniqueId, type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { messageFor } from "../../lib/messages.js"
import {
  deleteTip,
  type OpenTip,
  postponeTip,
  type TipRecord,
  updateTip,
} from "../../lib/staffTips.js"
import { ErrorNotice } from "../Notice.jsx"

/** Labels typed as a comma-separated list: trimmed, empty and repeated ones dropped. */
export function parseLabels(typed: string): string[] {
  return [
    ...new Set(
      typed
        .split(",")
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ]
}

/** Status and labels, expiry postponement and deletion of a tip. */
export function TipManage(props: {
  session: string
  tip: OpenTip
  onChanged: () => void
}): JSX.Element {
  const id = createUniqueId()
  const navigate = useNavigate()
  const [status, setStatus] = createSignal<TipRecord["status"]>(props.tip.tip.status)
  const [labels, setLabels] = createSignal(props.tip.tip.labels.join(", "))
  const [days, setDays] = createSignal("30")
  const [error, setError] = createSignal<unknown>()
  const [note, setNote] = createSignal<string>()
  const [confirming, setConfirming] = createSignal(false)

  const run = async (work: () => Promise<string | undefined>) => {
    setError(undefined)
    setNote(undefined)
    try {
      setNote(await work())
      props.onChanged()
    } catch (e) {
      setError(e)
    }
  }
  const save = (e: Event) => {
    e.preventDefault()
    void run(async () => {
      await updateTip(props.session, props.tip.tip.id, {
        status: status(),
        labels: parseLabels(labels()),
      })
      return messageFor("staff.saved")
    })
  }
  const postpone = (e: Event) => {
    e.preventDefault()
    void run(async () => {
      const at = await postponeTip(props.session, props.tip.tip.id, Number(days()))
      return messageFor("staff.postponed")?.replace("{date}", formatTime(at))
    })
  }
  const remove = async () => {
    setError(undefined)
    try {
      await deleteTip(props.session, props.tip.tip.id)
      navigate("/staff/inbox", { replace: true })
    } catch (e) {
      setError(e)
    }
  }
  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Manage</h2>
      <form onSubmit={save}>
        <div class="field">
          <label for={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={status()}
            onChange={(e) => setStatus(e.currentTarget.value as TipRecord["status"])}
          >
            <option value="new">New</option>
            <option value="open">Open</option>
            <option value="closed">Closed</option>
          </select>
        </div>
        <div class="field">
          <label for={`${id}-labels`}>Labels (comma-separated)</label>
          <input
            id={`${id}-labels`}
            value={labels()}
            onInput={(e) => setLabels(e.currentTarget.value)}
            aria-describedby={`${id}-labels-help`}
          />
          <small id={`${id}-labels-help`}>
            Labels are stored unencrypted on the node, so keep them free of names and details.
          </small>
        </div>
        <button type="submit">Save status and labels</button>
      </form>
      <form onSubmit={postpone}>
        <p>Expires {formatTime(props.tip.tip.expiresAt)}.</p>
        <div class="field">
          <label for={`${id}-days`}>Postpone expiry by (days)</label>
          <input
            id={`${id}-days`}
            type="number"
            min="1"
            max="365"
            value={days()}
            onInput={(e) => setDays(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="secondary">
          Postpone expiry
        </button>
      </form>
      <Show when={note()}>
        <p class="notice ok" aria-live="polite">
          {note()}
        </p>
      </Show>
      <ErrorNotice error={error()} />
      <Show
        when={confirming()}
        fallback={
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            Delete tip…
          </button>
        }
      >
        <div class="notice warn" role="alertdialog" aria-labelledby={`${id}-del`}>
          <p id={`${id}-del`}>{messageFor("staff.deleteConfirm")}</p>
          <div class="actions">
            <button type="button" class="danger" onClick={remove}>
              Delete for everyone
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      </Show>
    </section>
  )
}
