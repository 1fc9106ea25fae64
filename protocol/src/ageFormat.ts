import { FormatRegistry } from "@sinclair/typebox"
import { isAgeFileShape } from "@sotto/crypto-core/age-file-shape"
import { AGE_FILE_FORMAT } from "./common.js"

// The check behind every sealed field's `format` (common.ts `ArmoredAge`): crypto-core's
// structural parse of an armored age v1 file. A separate entry point, imported by whoever validates
// (the relay's router), so the PWA's bundles that only build requests do not carry the parser.
// Until it is imported, TypeBox knows no such format and refuses every sealed field.

FormatRegistry.Set(AGE_FILE_FORMAT, isAgeFileShape)

/** The format name registered (import this module for its effect). */
export { AGE_FILE_FORMAT }
