import { createMemo, type JSX } from "solid-js"
import { encode } from "uqr"

/**
 * An `otpauth://` URI as a QR code drawn as inline SVG (one path of dark modules, a quiet zone of
 * 4). No data URL, canvas or innerHTML: the CSP allows inline SVG elements. uqr is imported only
 * by the staff pages, which are lazy chunks, so a whistleblower never loads it.
 */
export function TotpQr(props: { uri: string; label: string; size?: number }): JSX.Element {
  const qr = createMemo(() => encode(props.uri, { ecc: "M", border: 4 }))
  // The matrix includes the quiet zone.
  const side = () => qr().data.length
  const path = () => {
    const parts: string[] = []
    qr().data.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) parts.push(`M${x} ${y}h1v1h-1z`)
      })
    })
    return parts.join("")
  }
  return (
    <svg
      role="img"
      aria-label={props.label}
      data-testid="totp-qr"
      width={props.size ?? 220}
      height={props.size ?? 220}
      viewBox={`0 0 ${side()} ${side()}`}
      shape-rendering="crispEdges"
    >
      <rect width={side()} height={side()} fill="#fff" />
      <path d={path()} fill="#000" />
    </svg>
  )
}
