import { createSignal, type JSX, onMount, Show } from "solid-js"
import { loadStorage, type StorageUsage } from "../../lib/adminApi.js"
import { formatBytes } from "../../lib/format.js"

/**
 * The free-disk warning on every admin page: shown (role=alert) while the data dir's free space
 * is under the watermark, when the relay refuses whistleblowers' submissions, comments and
 * uploads (507) and staff work goes on. Nothing otherwise, nor while the reading is on its way.
 * A plain signal rather than a resource: the page never waits for this reading (no Suspense).
 */
export function DiskWarning(props: { session: string }): JSX.Element {
  const [disk, setDisk] = createSignal<StorageUsage["disk"]>()
  onMount(() => {
    loadStorage(props.session).then(
      (s) => setDisk(s.disk),
      // The page's own calls show a lost connection or an ended session.
      () => undefined,
    )
  })
  return (
    <Show when={disk()?.low ? disk() : undefined}>
      {(low) => (
        <p class="notice error" role="alert" data-disk-low>
          The node is short of disk space: {formatBytes(low().freeBytes)} free, under the{" "}
          {formatBytes(low().minFreeBytes)} it keeps in reserve. Whistleblowers cannot send reports,
          comments or files until there is room again; staff work goes on. Free disk space on the
          server, or delete reports that are no longer needed.
        </p>
      )}
    </Show>
  )
}
