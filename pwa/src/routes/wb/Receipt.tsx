import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function Receipt(): JSX.Element {
  return <h1>Receipt</h1>
}
