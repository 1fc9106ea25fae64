// A FIFO of byte arrays that hands out fixed-size pieces without re-copying everything it holds.
export class ChunkQueue {
  private parts: Uint8Array[] = []
  private head = 0
  length = 0

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    this.parts.push(bytes)
    this.length += bytes.length
  }

  /** Removes and returns exactly `n` bytes (n ≤ length). */
  take(n: number): Uint8Array {
    const first = this.parts[0]
    if (first && first.length - this.head >= n) {
      // The common case: one incoming piece holds the whole chunk, so hand out a view, not a copy.
      const view = first.subarray(this.head, this.head + n)
      this.head += n
      if (this.head === first.length) {
        this.parts.shift()
        this.head = 0
      }
      this.length -= n
      return view
    }
    const out = new Uint8Array(n)
    let filled = 0
    while (filled < n) {
      const part = this.parts[0]
      if (!part) throw new Error("ChunkQueue underflow")
      const available = part.length - this.head
      const used = Math.min(available, n - filled)
      out.set(part.subarray(this.head, this.head + used), filled)
      filled += used
      this.head += used
      if (this.head === part.length) {
        this.parts.shift()
        this.head = 0
      }
    }
    this.length -= n
    return out
  }

  /** Returns up to `n` leading bytes without removing them. */
  peek(n: number): Uint8Array {
    const size = Math.min(n, this.length)
    const out = new Uint8Array(size)
    let filled = 0
    let head = this.head
    for (const part of this.parts) {
      if (filled === size) break
      const used = Math.min(part.length - head, size - filled)
      out.set(part.subarray(head, head + used), filled)
      filled += used
      head = 0
    }
    return out
  }
}
