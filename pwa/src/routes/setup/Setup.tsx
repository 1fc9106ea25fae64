import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function Setup(): JSX.Element {
  return <h1>Setup</h1>
}
