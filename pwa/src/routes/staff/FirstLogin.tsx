import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function FirstLogin(): JSX.Element {
  return <h1>FirstLogin</h1>
}
