import { Type } from "@sinclair/typebox"
import { Obj } from "./common.js"
import { route } from "./route.js"

/** Liveness and what the node is: whether setup has run, and whether mail is configured. */
export const getHealth = route({
  id: "getHealth",
  method: "GET",
  path: "/api/v1/health",
  summary: "Relay status: setup done, mail configured, protocol version",
  access: "public",
  response: Obj({
    ok: Type.Literal(true),
    setUp: Type.Boolean(),
    mail: Type.Boolean(),
    version: Type.String(),
  }),
})

/** The OpenAPI document generated from the route specs. */
export const getOpenApi = route({
  id: "getOpenApi",
  method: "GET",
  path: "/api/v1/openapi.json",
  summary: "OpenAPI 3.1 description of this API",
  access: "public",
  response: Type.Object({}, { additionalProperties: true }),
})
