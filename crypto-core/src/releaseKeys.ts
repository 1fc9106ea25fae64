// The project's release public keys (Ed25519, base64url), pinned in the service worker and in
// sotto-verify. The private keys never live in the repository: `npm run release:sign` reads one
// from a file outside it. Add the next key here before retiring the current one (a rotation is a
// release signed by both).

/** Keys whose signature makes a build an official Sotto release. */
export const RELEASE_KEYS: readonly string[] = ["XerjPMH0qlZELVXtqSJ5vM-NB7bjs_JM3HY3AkpZhY4"]
