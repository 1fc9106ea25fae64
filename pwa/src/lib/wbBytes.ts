// Byte encodings the UI thread needs to talk to the relay and the workers. They only reshape
// bytes (no hashing, no cipher), so they may run here; atob/btoa work in every browser, also
// where newer helpers such as Uint8Array.fromBase64 are missing (Tor Browser).

/** Bytes from base64url text (padding optional). @throws TypeError when the text is not base64url. */
export function fromBase64url(text: string): Uint8Array {
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/")
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

/** Unpadded base64url text of some bytes (the relay's wire form of keys and hashes). */
export function toBase64url(bytes: Uint8Array): string {
  let binary = ""
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")
}
