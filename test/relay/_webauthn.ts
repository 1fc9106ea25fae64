import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto"

// A software WebAuthn authenticator (ES256, "none" attestation) for the relay tests, written from
// the WebAuthn spec with node:crypto, independent of @simplewebauthn: it answers the relay's
// options the way a security key and a browser together would. The e2e test uses Chromium's
// virtual authenticator instead.

/** What `navigator.credentials.create()` gives after serialisation. */
export interface RegistrationJson {
  id: string
  rawId: string
  type: "public-key"
  response: { clientDataJSON: string; attestationObject: string; transports: "usb"[] }
  clientExtensionResults: Record<string, unknown>
}

/** What `navigator.credentials.get()` gives after serialisation. */
export interface AssertionJson {
  id: string
  rawId: string
  type: "public-key"
  response: { clientDataJSON: string; authenticatorData: string; signature: string }
  clientExtensionResults: Record<string, unknown>
}

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url")
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest()

/** One credential on a software security key; `counter` can be set to test the relay's check. */
export class SoftAuthenticator {
  readonly id = randomBytes(16)
  counter = 0
  readonly #key: KeyObject
  readonly #publicJwk: { x: string; y: string }

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" })
    this.#key = privateKey
    this.#publicJwk = publicKey.export({ format: "jwk" }) as { x: string; y: string }
  }

  /** The credential id as the relay lists it. */
  get credentialId(): string {
    return b64u(this.id)
  }

  /** Answers creation options as the browser at `origin` would. */
  create(options: { challenge: string; rp: { id?: string } }, origin: string): RegistrationJson {
    const cose = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(this.#publicJwk.x, "base64url")],
        [-3, Buffer.from(this.#publicJwk.y, "base64url")],
      ]),
    )
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(this.id.length)
    const authData = Buffer.concat([
      this.#header(options.rp.id ?? "", 0x45), // UP | UV | AT
      Buffer.alloc(16), // AAGUID
      idLength,
      this.id,
      cose,
    ])
    const attestation = cbor(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    )
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON: clientData("webauthn.create", options.challenge, origin),
        attestationObject: b64u(attestation),
        transports: ["usb"],
      },
      clientExtensionResults: {},
    }
  }

  /** Answers request options (for RP `rpId`) as the browser at `origin` would. */
  get(options: { challenge: string; rpId?: string }, origin: string): AssertionJson {
    const authData = this.#header(options.rpId ?? "", 0x05) // UP | UV
    const clientDataJSON = clientData("webauthn.get", options.challenge, origin)
    const signed = Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, "base64url"))])
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON,
        authenticatorData: b64u(authData),
        signature: b64u(sign("sha256", signed, this.#key)),
      },
      clientExtensionResults: {},
    }
  }

  // RP ID hash, flags and the counter (incremented on every use, as a security key does).
  #header(rpId: string, flags: number): Buffer {
    this.counter += 1
    const counter = Buffer.alloc(4)
    counter.writeUInt32BE(this.counter)
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter])
  }
}

function clientData(type: string, challenge: string, origin: string): string {
  return b64u(Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })))
}

// The CBOR subset WebAuthn needs: integers, byte and text strings, maps (RFC 8949).
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number) => {
    if (n < 24) return Buffer.from([(major << 5) | n])
    if (n < 256) return Buffer.from([(major << 5) | 24, n])
    const b = Buffer.alloc(3)
    b[0] = (major << 5) | 25
    b.writeUInt16BE(n, 1)
    return b
  }
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value)
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8")
    return Buffer.concat([head(3, bytes.length), bytes])
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value])
  if (value instanceof Map) {
    const parts = [...value].flatMap(([k, v]) => [cbor(k), cbor(v)])
    return Buffer.concat([head(5, value.size), ...parts])
  }
  throw new Error(`cannot encode ${typeof value} as CBOR`)
}
