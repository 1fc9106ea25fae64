import { randomBytes } from "node:crypto"
import { parseReceiptPattern } from "@sotto/crypto-core"
import { getNode, setup } from "@sotto/protocol/accounts"
import { putNodeManifest } from "@sotto/protocol/manifest"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import {
  checkKdf,
  checkRecipient,
  checkSealedIdentity,
  checkWrap,
  decodeBytes,
} from "../services/accountChecks.js"
import { newId } from "../services/ids.js"
import { checkManifestFor } from "../services/manifestChecks.js"
import {
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_POW_DIFFICULTY,
  languagesOf,
  passwordPolicyOf,
  requireNode,
} from "../services/nodeSettings.js"
import { oprfKeys, oprfRuleOf } from "../services/oprfKeys.js"
import type { NodeSecrets, NodeSettings, UserRecord } from "../services/records.js"
import { DEFAULT_IDLE_TIMEOUTS } from "../services/session.js"
import { putUser, type Serial } from "../services/users.js"

/** `POST /setup` (once) and `GET /node`. */
export function setupRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  return [
    bind(setup, ({ body }) =>
      lock(async () => {
        if (await ctx.store.get("settings", "node")) {
          throw new RelayError("ALREADY_SET_UP", "this node is already set up")
        }
        const { admin, escrow, signing, receipt } = body
        const kdf = checkKdf("body.admin.kdf", admin.kdf, oprfRuleOf(ctx, body.manifest))
        decodeBytes("body.admin.authVerifier", admin.authVerifier, 32)
        checkRecipient("body.admin.publicKey", admin.publicKey)
        checkEscrow(escrow)
        checkSealedIdentity("body.admin.sealedIdentity", admin.sealedIdentity, {
          recipient: admin.publicKey,
          escrow: escrow.recipient,
        })
        if (escrow.adminWrap) checkWrap("body.escrow.adminWrap", escrow.adminWrap, admin.publicKey)
        decodeBytes("body.signing.publicKey", signing.publicKey, 32)
        checkWrap("body.signing.adminWrap", signing.adminWrap, admin.publicKey)
        checkKdf("body.receipt", { salt: receipt.salt, params: receipt.params })
        try {
          parseReceiptPattern(receipt.pattern)
        } catch (e) {
          const why = e instanceof Error ? e.message : "is not a receipt pattern"
          throw new RelayError("VALIDATION", why, "body.receipt.pattern")
        }
        checkManifestFor("body.manifest", body.manifest, {
          signer: signing.publicKey,
          escrow: escrow.enabled ? (escrow.recipient ?? null) : null,
          receipt,
          name: body.node.name,
          powDifficulty: DEFAULT_POW_DIFFICULTY,
          oprf: oprfKeys(ctx).publicIds(),
        })

        checkFirstAdminChain(admin)

        const now = ctx.clock.now()
        const settings: NodeSettings = {
          name: body.node.name,
          createdAt: now,
          escrow: escrow.enabled
            ? { enabled: true, recipient: escrow.recipient }
            : { enabled: false },
          signingPublicKey: signing.publicKey,
          manifest: body.manifest,
          receipt: { pattern: receipt.pattern, salt: receipt.salt, params: receipt.params },
          idleTimeouts: DEFAULT_IDLE_TIMEOUTS,
          powDifficulty: DEFAULT_POW_DIFFICULTY,
          expiryDays: DEFAULT_EXPIRY_DAYS,
          twoFactorRequired: { admin: false, recipient: false, custodian: false },
        }
        const secrets: NodeSecrets = { fakeSaltKey: randomBytes(32).toString("base64url") }
        const user: UserRecord = {
          id: admin.id ?? newId(),
          ...(admin.certification === undefined ? {} : { certification: admin.certification }),
          ...(admin.keyProof === undefined ? {} : { keyProof: admin.keyProof }),
          username: admin.username,
          name: admin.name,
          ...(admin.email === undefined ? {} : { email: admin.email }),
          role: "admin",
          disabled: false,
          createdAt: now,
          kdf,
          authVerifier: admin.authVerifier,
          sealedIdentity: admin.sealedIdentity,
          publicKey: admin.publicKey,
          ...(admin.signer === undefined ? {} : { signer: admin.signer }),
          mustChangePassword: false,
          ...(escrow.adminWrap ? { escrowWrap: escrow.adminWrap } : {}),
          signingKeyWrap: signing.adminWrap,
        }
        const batch = ctx.store.batch()
        batch.put("settings", "node", settings).put("settings", "secret", secrets)
        putUser(batch, user)
        const { token } = ctx.sessions.createIn(batch, {
          kind: "staff",
          userId: user.id,
          role: "admin",
          stage: "full",
        })
        ctx.audit.add(batch, {
          actor: user.id,
          action: "node.setup",
          target: user.id,
          details: { escrow: escrow.enabled },
        })
        await batch.write()
        ctx.log.info("node_set_up", { escrow: escrow.enabled })
        return { session: token, userId: user.id }
      }),
    ),

    bind(getNode, async () => {
      const node = await requireNode(ctx.store)
      return {
        name: node.name,
        setUp: true,
        escrow: node.escrow,
        signingPublicKey: node.signingPublicKey,
        receipt: node.receipt,
        expiryDays: node.expiryDays,
        ...(node.logoText === undefined ? {} : { logoText: node.logoText }),
        languages: languagesOf(node),
        passwordPolicy: passwordPolicyOf(node),
        manifest: node.manifest,
      }
    }),

    bind(putNodeManifest, ({ body, session }) =>
      lock(async () => {
        const node = await requireNode(ctx.store)
        const manifest = checkManifestFor("body.manifest", body.manifest, {
          signer: node.signingPublicKey,
          storedVersion: node.manifest.body.version,
          escrow: node.escrow.enabled ? (node.escrow.recipient ?? null) : null,
          receipt: node.receipt,
          name: node.name,
          powDifficulty: node.powDifficulty,
          oprf: oprfKeys(ctx).publicIds(),
          oprfRequired: node.manifest.body.oprf !== undefined,
        })
        const batch = ctx.store.batch()
        batch.put("settings", "node", { ...node, manifest: body.manifest })
        ctx.audit.add(batch, {
          actor: session?.kind === "staff" ? session.userId : "unknown",
          action: "node.manifest",
          target: "node",
          details: { version: manifest.version },
        })
        await batch.write()
        return { ok: true as const }
      }),
    ),
  ]
}

// The first admin's certification chain comes whole or not at all, and names this admin. Only a
// consistency check: admins' browsers verify the signatures (under the node key they pinned).
function checkFirstAdminChain(admin: {
  readonly id?: string
  readonly username: string
  readonly publicKey: string
  readonly signer?: string
  readonly certification?: { readonly body: { readonly username: string } }
  readonly keyProof?: {
    readonly body: { readonly userId: string; readonly publicKey: string; readonly signer: string }
  }
}): void {
  const given = [admin.id, admin.certification, admin.keyProof].filter((x) => x !== undefined)
  if (given.length === 0) return
  if (given.length !== 3) {
    throw new RelayError(
      "VALIDATION",
      `"body.admin.id", "body.admin.certification" and "body.admin.keyProof" go together`,
      "body.admin.keyProof",
    )
  }
  const proof = admin.keyProof?.body
  if (admin.certification?.body.username !== admin.username) {
    throw new RelayError(
      "VALIDATION",
      `"body.admin.certification" must name "body.admin.username"`,
      "body.admin.certification.body.username",
    )
  }
  if (
    proof?.userId !== admin.id ||
    proof?.publicKey !== admin.publicKey ||
    (admin.signer !== undefined && proof?.signer !== admin.signer)
  ) {
    throw new RelayError(
      "VALIDATION",
      `"body.admin.keyProof" must prove this admin's id and keys`,
      "body.admin.keyProof",
    )
  }
}

// Escrow on ⇔ a recipient and the admin's wrap are given.
function checkEscrow(escrow: {
  readonly enabled: boolean
  readonly recipient?: string
  readonly adminWrap?: unknown
}): void {
  for (const field of ["recipient", "adminWrap"] as const) {
    if (escrow.enabled && escrow[field] === undefined) {
      throw new RelayError(
        "VALIDATION",
        `"body.escrow.${field}" is required when escrow is enabled`,
        `body.escrow.${field}`,
      )
    }
    if (!escrow.enabled && escrow[field] !== undefined) {
      throw new RelayError(
        "VALIDATION",
        `"body.escrow.${field}" must be absent when escrow is disabled`,
        `body.escrow.${field}`,
      )
    }
  }
  if (escrow.recipient !== undefined) checkRecipient("body.escrow.recipient", escrow.recipient)
}
