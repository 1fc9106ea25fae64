import type { Page } from "playwright-core"

// Measures whether a page's UI thread stays responsive: a requestAnimationFrame loop records the
// time of every frame, and the longest gap between two frames tells whether anything (scrypt,
// a cipher, proof of work) blocked the thread while the loop ran.

/** Frames seen and the longest gap between two of them, in milliseconds. */
export interface FrameStats {
  readonly frames: number
  readonly elapsedMs: number
  readonly maxGapMs: number
}

interface FrameWindow {
  __sottoFrames?: number[]
  __sottoFramesOn?: boolean
}

/** Starts recording frames on the current document (call again after a full navigation). */
export async function startFrameMonitor(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as FrameWindow
    w.__sottoFrames = []
    w.__sottoFramesOn = true
    const tick = (time: number) => {
      if (!w.__sottoFramesOn) return
      w.__sottoFrames?.push(time)
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
}

/** Stops recording and returns what was seen since {@link startFrameMonitor}. */
export async function stopFrameMonitor(page: Page): Promise<FrameStats> {
  const times = await page.evaluate(() => {
    const w = window as unknown as FrameWindow
    w.__sottoFramesOn = false
    return w.__sottoFrames ?? []
  })
  let maxGapMs = 0
  for (let i = 1; i < times.length; i++) {
    maxGapMs = Math.max(maxGapMs, (times[i] ?? 0) - (times[i - 1] ?? 0))
  }
  const elapsedMs = times.length > 1 ? (times.at(-1) ?? 0) - (times[0] ?? 0) : 0
  return { frames: times.length, elapsedMs, maxGapMs }
}
