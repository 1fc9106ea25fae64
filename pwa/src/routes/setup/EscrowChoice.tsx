import { createUniqueId, type JSX } from "solid-js"
import { messageFor } from "../../lib/messages.js"

/** The setup step that turns the node's escrow key on or off, with what each choice means. */
export function EscrowChoice(props: {
  escrow: boolean
  onChange: (escrow: boolean) => void
  onBack: () => void
  onSubmit: (e: Event) => void
}): JSX.Element {
  const id = createUniqueId()
  return (
    <form class="card" onSubmit={(e) => props.onSubmit(e)}>
      <fieldset>
        <legend>Password recovery by administrators (escrow)</legend>
        <p>{messageFor("setup.escrowExplain")}</p>
        <div class="field check">
          <input
            id={`${id}-on`}
            type="radio"
            name="escrow"
            checked={props.escrow}
            onChange={() => props.onChange(true)}
          />
          <label for={`${id}-on`}>{messageFor("setup.escrowOn")}</label>
        </div>
        <div class="field check">
          <input
            id={`${id}-off`}
            type="radio"
            name="escrow"
            checked={!props.escrow}
            onChange={() => props.onChange(false)}
          />
          <label for={`${id}-off`}>{messageFor("setup.escrowOff")}</label>
        </div>
      </fieldset>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => props.onBack()}>
          Back
        </button>
        <button type="submit">Make the keys</button>
      </div>
    </form>
  )
}
