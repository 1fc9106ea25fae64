export {
  type Difference,
  formatReport,
  INTEGRITY_PATH,
  type VerifyOptions,
  type VerifyReport,
  verifyNode,
} from "./verifyNode.js"
