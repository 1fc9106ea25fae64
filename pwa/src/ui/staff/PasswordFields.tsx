import { createEffect, createSignal, type JSX, on, onMount, Show } from "solid-js"
import { messageFor } from "../../lib/messages.js"
import {
  DEFAULT_POLICY,
  loadPasswordPolicy,
  MIN_SCORE,
  type PasswordPolicy,
  ratePassword,
  type Strength,
  scoreLabel,
} from "../../lib/password.js"
import { TextField } from "../Field.jsx"

/**
 * A new password typed twice, with a zxcvbn strength meter (score 0–4; the node's policy says
 * what is needed: score 3 or 4 and a length, see {@link loadPasswordPolicy}). The parent checks
 * the password again with {@link checkNewPassword} on submit.
 */
export function PasswordFields(props: {
  password: string
  confirm: string
  onPassword: (value: string) => void
  onConfirm: (value: string) => void
  /** The user's own words (username, name, node name), which zxcvbn counts against the password. */
  userInputs: readonly string[]
  error?: string | undefined
}): JSX.Element {
  // A plain signal, not a resource: a pending resource would suspend the whole page per keystroke.
  const [strength, setStrength] = createSignal<Strength>()
  // A signal again, not a resource, so the page never suspends while the policy loads.
  const [policy, setPolicy] = createSignal<PasswordPolicy>()
  onMount(() => void loadPasswordPolicy().then(setPolicy))
  let asked = 0
  createEffect(
    on(
      () => props.password,
      (pw) => {
        const mine = ++asked
        if (!pw) return setStrength(undefined)
        ratePassword(pw, props.userInputs, policy()).then(
          (s) => mine === asked && setStrength(s),
          () => mine === asked && setStrength(undefined),
        )
      },
    ),
  )
  const shown = (): Strength | undefined => (props.password.length > 0 ? strength() : undefined)
  return (
    <>
      <TextField
        label="New password"
        type="password"
        autocomplete="new-password"
        name="new-password"
        required
        value={props.password}
        onInput={(v) => props.onPassword(v)}
        help={policyHelp(policy())}
        error={props.error}
      />
      <div class="meter" aria-live="polite">
        <meter
          min="0"
          max="4"
          low="2"
          high="3"
          optimum="4"
          value={shown()?.score ?? 0}
          aria-label="Password strength"
        />
        <span data-score={shown()?.score ?? ""}>
          {shown() ? `Strength: ${scoreLabel(shown()?.score ?? 0)}` : "Strength: type a password"}
        </span>
        <Show when={shown()?.warning}>
          <small class="meter-warning">{shown()?.warning}</small>
        </Show>
      </div>
      <TextField
        label="New password again"
        type="password"
        autocomplete="new-password"
        name="confirm-password"
        required
        value={props.confirm}
        onInput={(v) => props.onConfirm(v)}
      />
    </>
  )
}

// What the node asks of a new password, in words.
function policyHelp(policy: PasswordPolicy | undefined): string {
  const p = policy ?? DEFAULT_POLICY
  const strength = p.minScore >= 4 ? "Strong" : "Good"
  return `At least ${p.minLength} characters and a strength of ${strength}. Long and unusual is best: four or five random words work well.`
}

/**
 * Why `password` (typed twice as `confirm`) cannot be used under the node's password policy
 * (fetched afresh), in words, or undefined when it can.
 * @throws when zxcvbn cannot be loaded.
 */
export async function checkNewPassword(
  password: string,
  confirm: string,
  userInputs: readonly string[],
): Promise<string | undefined> {
  const policy = await loadPasswordPolicy()
  const strength = await ratePassword(password, userInputs, policy)
  if (strength.score < policy.minScore) {
    const why = [strength.warning, ...strength.suggestions].filter(Boolean).join(" ")
    const base =
      messageFor("staff.weakPassword")
        ?.replace("{score}", String(strength.score))
        .replace("{min}", String(policy.minScore)) ??
      `This password is too easy to guess (score ${strength.score} of 4).`
    return why ? `${base} ${why}` : base
  }
  if (password.length < policy.minLength) {
    return (
      messageFor("staff.passwordTooShort")?.replace("{min}", String(policy.minLength)) ??
      `This password is too short: use at least ${policy.minLength} characters.`
    )
  }
  if (password !== confirm) return messageFor("staff.passwordMismatch")
  return undefined
}

export { MIN_SCORE }
