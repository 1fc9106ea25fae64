import type { JSX } from "solid-js"

/** Placeholder until this page is built. */
export default function Login(): JSX.Element {
  return <h1>Login</h1>
}
