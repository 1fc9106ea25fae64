import { render } from "solid-js/web"
import { App } from "./App.jsx"
import { startI18n } from "./i18n/index.js"
import { afterAppReady, linkInstallAssets } from "./lib/appReady.js"
import { UpdateBanner } from "./ui/UpdateBanner.jsx"
import "./styles.css"

// The browser's language is loaded before the first render, so nothing flashes in English.
const root = document.getElementById("app")
void startI18n().then(() => {
  if (root)
    render(
      () => (
        <>
          <App />
          <UpdateBanner />
        </>
      ),
      root,
    )
})

afterAppReady(linkInstallAssets)
