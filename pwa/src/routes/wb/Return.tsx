import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function Return(): JSX.Element {
  return <h1>Return</h1>
}
