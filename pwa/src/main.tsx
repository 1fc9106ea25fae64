import { render } from "solid-js/web"
import { App } from "./App.jsx"
import { afterAppReady, linkInstallAssets } from "./lib/appReady.js"
import { UpdateBanner } from "./ui/UpdateBanner.jsx"
import "./styles.css"

const root = document.getElementById("app")
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

afterAppReady(linkInstallAssets)
