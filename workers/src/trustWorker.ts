/**
 * The trust worker: the checks a whistleblower's browser makes before a report form is usable
 * (the node manifest against the pin, the context's signed key directory, the node key's
 * fingerprint words). It holds only signature verification and canonical JSON, so it is a small
 * download on a first visit (issue 14); sealing lives in the tip worker, fetched after the form
 * is ready. Same functions, arguments and errors as the tip worker's (SPEC §8, §12, §14).
 */
import {
  type DirectoryCheck,
  fingerprintWords,
  fromBase64url,
  type KeyDirectory,
  type ManifestPin,
  type NodeManifest,
  type SignedKeyDirectory,
  type SignedNodeManifest,
  verifyDirectory,
  verifyNodeManifest,
} from "@sotto/crypto-core"
import { exposeApi } from "./workerRuntime.js"

/** What the trust worker exposes. */
export const trustApi = {
  /**
   * Verifies a signed key directory against the pinned node signing key.
   * @throws CryptoError `BAD_SIGNATURE`, `KEY_MISMATCH`, `STALE`, `BAD_INPUT`.
   */
  verifyDirectory(
    signed: SignedKeyDirectory,
    pinned: string | undefined,
    check: DirectoryCheck = {},
  ): { readonly directory: KeyDirectory; readonly pin: string } {
    return verifyDirectory(signed, pinned, check)
  },

  /**
   * Verifies the node manifest against the pin (undefined on first use).
   * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `STALE`, `BAD_INPUT`.
   */
  verifyNodeManifest(
    signed: SignedNodeManifest,
    pin: ManifestPin | undefined,
  ): { readonly manifest: NodeManifest; readonly pin: ManifestPin } {
    return verifyNodeManifest(signed, pin)
  },

  /**
   * The fingerprint of a public key (base64url) as 8 words, for people to compare (SPEC §12).
   * @throws CryptoError `BAD_INPUT`.
   */
  fingerprintWords(publicKey: string): string[] {
    return fingerprintWords(fromBase64url("publicKey", publicKey))
  },
}

/** The trust worker's API; the main thread holds a `Remote<TrustApi>`. */
export type TrustApi = typeof trustApi

void exposeApi(trustApi)
