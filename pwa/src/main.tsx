import { render } from "solid-js/web"
import { App } from "./App.jsx"
import "./styles.css"

const root = document.getElementById("app")
if (root) render(() => <App />, root)
