// Saving something the browser made (a decrypted file, an export, a recovery key) to the user's
// disk. A Blob URL is same-origin and allowed by the CSP; it is revoked once the click is done.

/**
 * Offers `data` for download as `fileName` (the browser's save prompt or downloads folder).
 * The object URL is revoked shortly after, so the bytes can be garbage-collected.
 */
export function saveBlob(data: Blob, fileName: string): void {
  const url = URL.createObjectURL(data)
  const a = document.createElement("a")
  a.href = url
  a.download = fileName
  a.rel = "noopener"
  document.body.append(a)
  a.click()
  a.remove()
  // Chromium reads the URL asynchronously after the click; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** Offers a text as a UTF-8 `.txt` (or other) file. */
export function saveText(text: string, fileName: string, type = "text/plain;charset=utf-8"): void {
  saveBlob(new Blob([text], { type }), fileName)
}
