import type { JSX } from "solid-js"
import { Show } from "solid-js"
import { t } from "../../i18n/index.js"
import { codeManifest, refusedUpdate } from "../../lib/codeIntegrity.js"

/**
 * How to compare the code this browser runs with the published release: the manifest hash the
 * service worker was installed with, and what to do with it (README "Verifying the code you
 * are served").
 */
export default function VerifyCode(): JSX.Element {
  return (
    <section class="card" aria-labelledby="verify-title">
      <h1 id="verify-title">{t("verify.title")}</h1>
      <p>{t("verify.intro")}</p>
      <Show when={codeManifest()} fallback={<p>{t("verify.notInstalled")}</p>}>
        {(code) => (
          <p>
            {t("verify.installed")}{" "}
            <code data-full-hash class="hash">
              {code().hash ?? t("verify.noManifest")}
            </code>{" "}
            {code().signed ? t("verify.signed") : t("verify.unsigned")}
          </p>
        )}
      </Show>
      <Show when={refusedUpdate()}>
        <p role="alert">{t("verify.refused")}</p>
      </Show>
      <ol>
        <li>{t("verify.step1")}</li>
        <li>
          {t("verify.step2")} <code dir="ltr">{t("verify.command")}</code>
        </li>
        <li>{t("verify.step3")}</li>
      </ol>
      <p>{t("verify.firstVisit")}</p>
    </section>
  )
}
