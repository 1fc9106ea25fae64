import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function TipView(): JSX.Element {
  return <h1>TipView</h1>
}
