import { Type } from "@sinclair/typebox"
import { Id, Obj } from "./common.js"
import { route } from "./route.js"

// Route specs of the "storage" group: what the node's tips hold against its budgets, for admins.

const Bytes = Type.Integer({ minimum: 0, description: "bytes" })

/** What one scope holds: its tips and their stored bytes, against its budget. */
const Usage = {
  tips: Type.Integer({ minimum: 0 }),
  bytes: Bytes,
  budgetBytes: Bytes,
}

/**
 * Stored sizes, counted beside the records (sealed answers, comments and files' declared sizes,
 * unfinished uploads included): the node's and each channel's that holds tips, with the budgets
 * in force, the per-tip file quota, and the data dir's free disk against the watermark under
 * which anonymous writes are refused (`low`).
 */
export const getStorage = route({
  id: "getStorage",
  method: "GET",
  path: "/api/v1/admin/storage",
  summary: "Stored sizes per channel and for the node, budgets and free disk",
  access: ["admin"],
  response: Obj({
    node: Obj(Usage),
    contexts: Type.Array(Obj({ contextId: Id, ...Usage })),
    tipFileBytes: Bytes,
    disk: Obj({ freeBytes: Bytes, minFreeBytes: Bytes, low: Type.Boolean() }),
  }),
})
