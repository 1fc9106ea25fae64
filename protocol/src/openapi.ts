import type { TSchema } from "@sinclair/typebox"
import { PushMessage } from "./push.js"
import { type AnyRoute, BINARY } from "./route.js"

/** Builds the OpenAPI 3.1 document from the same route specs the relay validates with. */
export function buildOpenApi(
  routes: readonly AnyRoute[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, "{$1}")
    const params = r.params
      ? Object.keys((r.params as TSchema & { properties: object }).properties)
      : []
    const query = r.query
      ? Object.entries((r.query as TSchema & { properties: Record<string, TSchema> }).properties)
      : []
    const op: Record<string, unknown> = {
      operationId: r.id,
      summary: r.summary,
      "x-access": r.access,
      parameters: [
        ...params.map((name) => ({
          name,
          in: "path",
          required: true,
          schema: strip(
            (r.params as TSchema & { properties: Record<string, TSchema> }).properties[name],
          ),
        })),
        ...query.map(([name, schema]) => ({ name, in: "query", schema: strip(schema) })),
        ...(r.access === "public"
          ? []
          : [{ name: "X-Session", in: "header", required: true, schema: { type: "string" } }]),
      ],
      responses: {
        [String(r.status ?? 200)]: {
          description: "success",
          content:
            r.response === BINARY
              ? { "application/octet-stream": {} }
              : { "application/json": { schema: strip(r.response) } },
        },
        "4XX": {
          description: "error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    }
    if (r.body !== undefined) {
      op.requestBody = {
        required: true,
        "x-body-limit": r.bodyLimit,
        content:
          r.body === BINARY
            ? { "application/octet-stream": {} }
            : { "application/json": { schema: strip(r.body) } },
      }
    }
    paths[path] = { ...paths[path], [r.method.toLowerCase()]: op }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Sotto relay",
      version,
      description: "The relay stores only ciphertext; see crypto-core/SPEC.md.",
    },
    paths,
    components: {
      schemas: {
        // The push channel's messages (`/api/v1/ws`), documented beside the HTTP routes.
        PushMessage: strip(PushMessage),
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                field: { type: "string" },
              },
            },
          },
        },
      },
    },
  }
}

// TypeBox schemas carry symbol-keyed metadata; JSON round-tripping keeps only the JSON Schema.
function strip(schema: TSchema | undefined): unknown {
  return schema === undefined ? {} : JSON.parse(JSON.stringify(schema))
}
