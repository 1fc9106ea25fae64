import { type JSX, Show } from "solid-js"
import { describeError } from "../lib/errors.js"

/** An error shown in words (role=alert, so screen readers announce it); nothing when undefined. */
export function ErrorNotice(props: { error: unknown }): JSX.Element {
  return (
    <AlertText
      text={
        props.error === undefined || props.error === null ? undefined : describeError(props.error)
      }
    />
  )
}

/** An error sentence already in words, as {@link ErrorNotice} shows it; nothing when empty. */
export function AlertText(props: { text: string | undefined }): JSX.Element {
  return (
    <Show when={props.text}>
      <p class="notice error" role="alert">
        {props.text}
      </p>
    </Show>
  )
}

/** A progress bar with a label and a percentage, announced politely. */
export function ProgressBar(props: { label: string; done: number; total: number }): JSX.Element {
  const percent = () => (props.total > 0 ? Math.floor((props.done / props.total) * 100) : 0)
  return (
    <div class="progress" aria-live="polite">
      <label>
        <span>
          {props.label} · {percent()}%
        </span>
        <progress max={props.total} value={props.done} data-percent={percent()} />
      </label>
    </div>
  )
}
