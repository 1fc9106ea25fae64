import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function Inbox(): JSX.Element {
  return <h1>Inbox</h1>
}
