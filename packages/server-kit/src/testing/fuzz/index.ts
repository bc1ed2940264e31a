export { rowCountSummary, type AuditFinding, type AuditReport } from "./audit";
export { sendFuzzRequests, statusSummary, type FuzzRequest, type FuzzRun } from "./drive";
export { protocolAbuseRequest, type ProtocolAbuseTarget } from "./protocol-abuse";
export { brokenJson, encode, HOSTILE_STRINGS, hostileKey, hostileString, hostileValue, invalidUtf8 } from "./payloads";
export { Random } from "./random";
export { exchangeRaw, sendRaw, type RawRequest, type RawResponse } from "./raw-http";
