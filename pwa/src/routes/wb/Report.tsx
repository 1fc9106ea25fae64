import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function Report(): JSX.Element {
  return <h1>Report</h1>
}
