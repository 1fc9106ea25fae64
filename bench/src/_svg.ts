// A small line chart as SVG text, written by hand (no dependency): one panel per series group,
// time on the x axis, each panel with its own y scale and labelled ticks.

/** One line of a panel. */
export interface Line {
  readonly label: string
  readonly color: string
  readonly points: ReadonlyArray<readonly [number, number]>
}

/** A panel: a title, the y unit, and its lines. */
export interface Panel {
  readonly title: string
  readonly unit: string
  readonly lines: readonly Line[]
}

const WIDTH = 760
const PANEL_HEIGHT = 200
const MARGIN = { left: 64, right: 20, top: 34, bottom: 34 }

const xmlText = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/** A round step for about `count` ticks over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count)
  const power = 10 ** Math.floor(Math.log10(raw || 1))
  const unit = raw / power
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power
}

function renderPanel(panel: Panel, top: number, xMax: number, xLabel: string): string {
  const all = panel.lines.flatMap((l) => l.points.map((p) => p[1]))
  const yStep = niceStep(Math.max(...all, 1), 4)
  const yMax = Math.ceil(Math.max(...all, 1) / yStep) * yStep
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom
  const x = (v: number) => MARGIN.left + (v / (xMax || 1)) * plotW
  const y = (v: number) => top + MARGIN.top + plotH - (v / yMax) * plotH
  const out: string[] = []
  out.push(
    `<text x="${MARGIN.left}" y="${top + 20}" font-size="14" font-weight="bold">${xmlText(panel.title)}</text>`,
  )
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${+v.toFixed(2)}</text>`,
    )
  }
  const xStep = niceStep(xMax, 8)
  for (let v = 0; v <= xMax + 1e-9; v += xStep) {
    out.push(
      `<text x="${x(v)}" y="${top + PANEL_HEIGHT - MARGIN.bottom + 16}" font-size="11" text-anchor="middle">${+v.toFixed(1)}</text>`,
    )
  }
  out.push(
    `<text x="${WIDTH - MARGIN.right}" y="${top + PANEL_HEIGHT - 4}" font-size="11" text-anchor="end">${xmlText(xLabel)}</text>`,
    `<text x="14" y="${top + MARGIN.top + plotH / 2}" font-size="11" transform="rotate(-90 14 ${top + MARGIN.top + plotH / 2})" text-anchor="middle">${xmlText(panel.unit)}</text>`,
  )
  panel.lines.forEach((line, i) => {
    const d = line.points
      .map(([px, py], j) => `${j === 0 ? "M" : "L"}${x(px).toFixed(1)},${y(py).toFixed(1)}`)
      .join(" ")
    out.push(`<path d="${d}" fill="none" stroke="${line.color}" stroke-width="1.8"/>`)
    const lx = WIDTH - MARGIN.right - 220
    const ly = top + 14 + i * 14
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${line.color}" stroke-width="2"/>`,
      `<text x="${lx + 24}" y="${ly}" font-size="11">${xmlText(line.label)}</text>`,
    )
  })
  return out.join("\n")
}

/** Renders panels stacked vertically, sharing the x axis range (0..max x of all points). */
export function renderChart(title: string, panels: readonly Panel[], xLabel: string): string {
  const xMax = Math.max(
    ...panels.flatMap((p) => p.lines.flatMap((l) => l.points.map((q) => q[0]))),
    1,
  )
  const height = 30 + panels.length * PANEL_HEIGHT
  const body = panels.map((p, i) => renderPanel(p, 30 + i * PANEL_HEIGHT, xMax, xLabel)).join("\n")
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" font-size="15" text-anchor="middle">${xmlText(title)}</text>`,
    body,
    "</svg>",
    "",
  ].join("\n")
}
