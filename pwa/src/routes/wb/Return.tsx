import { useNavigate } from "@solidjs/router"
import { createSignal, type JSX, onCleanup, Show } from "solid-js"
import { t } from "../../i18n/index.js"
import { loadNode } from "../../lib/api.js"
import { errorCode } from "../../lib/errors.js"
import { loginWithReceipt } from "../../lib/wbTip.js"
import { useWbSession } from "../../store/createWbSession.js"
import { ErrorNotice, ProgressBar } from "../../ui/Notice.jsx"

/**
 * The whistleblower's way back: type the receipt (spaces and dashes do not matter), then the
 * keys are derived and the tip key opened in workers, with progress; then their report.
 */
export default function Return(): JSX.Element {
  const navigate = useNavigate()
  const wbSession = useWbSession()
  const [receipt, setReceipt] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const [keys, setKeys] = createSignal<number>()
  const [pow, setPow] = createSignal<number>()
  const controller = new AbortController()
  onCleanup(() => controller.abort())

  const submit = async (e: SubmitEvent) => {
    e.preventDefault()
    if (busy()) return
    setError(undefined)
    setBusy(true)
    setKeys(undefined)
    setPow(undefined)
    try {
      const node = await loadNode()
      const login = await loginWithReceipt(
        node,
        receipt(),
        (stage, fraction) => (stage === "keys" ? setKeys(fraction) : setPow(fraction)),
        controller.signal,
      )
      wbSession.set(login)
      navigate("/my-report")
    } catch (e) {
      if (!controller.signal.aborted) setError(e)
      setBusy(false)
    }
  }

  // A wrong receipt is not a wrong password: say it in the receipt's words.
  const shown = () => {
    const e = error()
    if (errorCode(e) === "WRONG_CREDENTIALS") {
      return { code: "WRONG_RECEIPT", message: t("error.WRONG_RECEIPT") }
    }
    return e
  }

  return (
    <section aria-labelledby="return-title">
      <h1 id="return-title">{t("landing.login")}</h1>
      <p>{t("return.intro")}</p>
      <form noValidate onSubmit={submit}>
        <div class="field">
          <label for="receipt-input">{t("return.label")}</label>
          <input
            id="receipt-input"
            class="mono"
            value={receipt()}
            inputmode="numeric"
            autocomplete="off"
            spellcheck={false}
            disabled={busy()}
            aria-describedby="receipt-help"
            aria-invalid={error() ? "true" : undefined}
            onInput={(e) => setReceipt(e.currentTarget.value)}
          />
          <small id="receipt-help">{t("return.help")}</small>
        </div>
        <ErrorNotice error={shown()} />
        <Show when={keys() !== undefined}>
          <ProgressBar label={t("wb.step.keys")} done={keys() ?? 0} total={1} />
        </Show>
        <Show when={pow() !== undefined}>
          <ProgressBar label={t("wb.step.pow")} done={pow() ?? 0} total={1} />
        </Show>
        <div class="actions">
          <button type="submit" disabled={busy() || receipt().trim() === ""}>
            {t("return.submit")}
          </button>
        </div>
      </form>
    </section>
  )
}
