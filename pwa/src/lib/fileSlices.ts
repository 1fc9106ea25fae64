// A whistleblower's File read in slices (`file.slice(a, b).arrayBuffer()`), one per pull, so an
// attachment of any size is never read whole: the encrypt pipeline pulls a slice only when a
// worker is ready for it (highWaterMark 0), and each slice's buffer is transferred onward.

/** The slice size read per pull: the encrypt pipeline's 1 MiB batch (16 age chunks). */
export const FILE_SLICE_BYTES = 1024 * 1024

/**
 * A ReadableStream of `blob` in slices of `size` bytes (the last shorter), read on demand.
 * @throws RangeError when `size` is not a positive integer; the stream errors as reading does
 * (e.g. the file was changed or removed on disk).
 */
export function fileSlices(blob: Blob, size = FILE_SLICE_BYTES): ReadableStream<Uint8Array> {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new RangeError(`"size" must be a positive integer, got ${size}`)
  }
  let offset = 0
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (offset >= blob.size) {
          controller.close()
          return
        }
        const end = Math.min(blob.size, offset + size)
        const bytes = new Uint8Array(await blob.slice(offset, end).arrayBuffer())
        offset = end
        controller.enqueue(bytes)
      },
    },
    { highWaterMark: 0 },
  )
}
