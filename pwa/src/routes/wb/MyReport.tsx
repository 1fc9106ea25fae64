import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function MyReport(): JSX.Element {
  return <h1>MyReport</h1>
}
