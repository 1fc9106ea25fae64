import type { JSX } from "solid-js"
import { TextField } from "../Field.jsx"

/** A channel's deadlines as the editor holds them (text fields until saved). */
export interface DeadlineDraft {
  readonly ackDays: string
  readonly feedbackDays: string
  readonly acknowledgeBy: "comment" | "status" | "either"
}

/** The EU Directive's defaults: acknowledge within 7 days, feedback within 3 months. */
export const DEFAULT_DEADLINE_DRAFT: DeadlineDraft = {
  ackDays: "7",
  feedbackDays: "90",
  acknowledgeBy: "either",
}

/**
 * The channel's acknowledgement and feedback periods and what counts as acknowledging a tip
 * (EU Directive 2019/1937: 7 days and 3 months by default).
 */
export function DeadlineSettings(props: {
  value: DeadlineDraft
  onChange: (next: DeadlineDraft) => void
  error: (key: string) => string | undefined
}): JSX.Element {
  const set = (patch: Partial<DeadlineDraft>) => props.onChange({ ...props.value, ...patch })
  return (
    <fieldset class="field">
      <legend>Deadlines (EU Whistleblowing Directive)</legend>
      <TextField
        label="Acknowledge a tip within (days)"
        value={props.value.ackDays}
        onInput={(v) => set({ ackDays: v })}
        name="ackDays"
        error={props.error("deadlines.ackDays")}
      />
      <TextField
        label="Give feedback within (days after the acknowledgement)"
        value={props.value.feedbackDays}
        onInput={(v) => set({ feedbackDays: v })}
        name="feedbackDays"
        error={props.error("deadlines.feedbackDays")}
      />
      <div class="field">
        <label for="ctx-ack-by">A tip counts as acknowledged at</label>
        <select
          id="ctx-ack-by"
          value={props.value.acknowledgeBy}
          onChange={(e) =>
            set({ acknowledgeBy: e.currentTarget.value as DeadlineDraft["acknowledgeBy"] })
          }
        >
          <option value="either">The first staff comment or status change</option>
          <option value="comment">The first staff comment</option>
          <option value="status">The first status change</option>
        </select>
      </div>
    </fieldset>
  )
}
