import { encode } from "fast-png"

// The app icons, drawn at build time (nothing downloaded, no native image library): a white
// speech bubble holding three dots ("sotto voce") on the app's accent blue. Supersampled 4×4 so
// edges are smooth at any size.

/** The accent blue of styles.css, also the manifest's theme colour. */
export const THEME_COLOR = "#0b57d0"
/** The light page background of styles.css, the manifest's background colour. */
export const BACKGROUND_COLOR = "#fbfbfd"

const BLUE = [0x0b, 0x57, 0xd0] as const
const WHITE = [0xff, 0xff, 0xff] as const
const SAMPLES = 4

/** The icon files the build emits, with their manifest entries. */
export interface IconFile {
  readonly fileName: string
  readonly size: number
  readonly purpose: "any" | "maskable"
}

/** Every icon: 192 and 512 for "any", 192 and 512 maskable (content inside the safe zone). */
export const ICONS: readonly IconFile[] = [
  { fileName: "icons/icon-192.png", size: 192, purpose: "any" },
  { fileName: "icons/icon-512.png", size: 512, purpose: "any" },
  { fileName: "icons/maskable-192.png", size: 192, purpose: "maskable" },
  { fileName: "icons/maskable-512.png", size: 512, purpose: "maskable" },
]

const inTriangle = (x: number, y: number, t: readonly number[]): boolean => {
  const [ax = 0, ay = 0, bx = 0, by = 0, cx = 0, cy = 0] = t
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by)
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy)
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay)
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
}

/** The colour (or transparency) at a point of the unit square, for one kind of icon. */
function paint(u: number, v: number, maskable: boolean): readonly number[] | null {
  if (!maskable) {
    // Rounded square for "any": transparent corners.
    const r = 0.2
    const dx = Math.max(r - u, 0, u - (1 - r))
    const dy = Math.max(r - v, 0, v - (1 - r))
    if (dx * dx + dy * dy > r * r) return null
  }
  // Maskable icons may be cut to a circle of radius 0.4: keep the drawing well inside it.
  const scale = maskable ? 0.78 : 1
  const x = (u - 0.5) / scale
  const y = (v - 0.5) / scale
  const bubble =
    Math.hypot(x, y + 0.03) < 0.3 || inTriangle(x, y, [-0.24, 0.08, -0.04, 0.24, -0.3, 0.33])
  if (!bubble) return BLUE
  for (const cx of [-0.13, 0, 0.13]) if (Math.hypot(x - cx, y + 0.03) < 0.045) return BLUE
  return WHITE
}

/** Draws one icon as an RGBA PNG. */
export function drawIcon(size: number, purpose: IconFile["purpose"]): Uint8Array {
  const data = new Uint8Array(size * size * 4)
  const n = SAMPLES * SAMPLES
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let s = 0; s < n; s++) {
        const u = (px + ((s % SAMPLES) + 0.5) / SAMPLES) / size
        const v = (py + (Math.floor(s / SAMPLES) + 0.5) / SAMPLES) / size
        const c = paint(u, v, purpose === "maskable")
        if (!c) continue
        r += c[0] ?? 0
        g += c[1] ?? 0
        b += c[2] ?? 0
        a += 1
      }
      const o = (py * size + px) * 4
      // Colour averaged over covered samples only (no dark fringe), coverage as alpha.
      data[o] = a ? Math.round(r / a) : 0
      data[o + 1] = a ? Math.round(g / a) : 0
      data[o + 2] = a ? Math.round(b / a) : 0
      data[o + 3] = Math.round((a / n) * 255)
    }
  }
  return encode({ width: size, height: size, data, channels: 4, depth: 8 })
}

/** The web app manifest (JSON text) naming the icons above. */
export function webManifest(): string {
  return JSON.stringify(
    {
      name: "Sotto",
      short_name: "Sotto",
      description: "Report safely: everything you type is encrypted in this browser.",
      id: "/",
      start_url: "/",
      scope: "/",
      display: "standalone",
      theme_color: THEME_COLOR,
      background_color: BACKGROUND_COLOR,
      icons: ICONS.map((icon) => ({
        src: `/${icon.fileName}`,
        sizes: `${icon.size}x${icon.size}`,
        type: "image/png",
        purpose: icon.purpose,
      })),
    },
    null,
    2,
  )
}
