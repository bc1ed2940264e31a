import { isUtf8 } from "node:buffer";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { cipherFor } from "../../../cipher/cipher";
import type { KratosConfig } from "../../../config/load";
import type { FlowKind } from "../../flow/flow";
import { readProto, writeProto } from "./proto";

/**
 * The OAuth `state` parameter as Kratos v26.2 writes it (oidc/state.go
 * GenerateState, encryptState, DecryptState): the protobuf `oidc.v1.State`
 * (flow_id = 1 as the UUID's 16 bytes, session_token_exchange_code_sha512 = 2,
 * provider_id = 3, pkce_verifier = 4, flow_kind = 5) encrypted with the
 * configured cipher — so with `ciphers.algorithm: noop` it is the hex of the
 * protobuf, readable by anyone, as in Kratos. A real Kratos with the same
 * cipher secrets reads these states and the other way round.
 */
export type StateFlowKind = Extract<FlowKind, "login" | "registration" | "settings">;

export interface OidcState {
  flowId: string;
  /** Unspecified (0) in states of older Kratos versions: the callback then tries each kind. */
  kind: StateFlowKind | undefined;
  provider: string;
  pkce: string;
  /** SHA-512 of the session token exchange init code, or 16 random bytes when the flow has none. */
  codeSha512: Buffer;
}

const KINDS: readonly (StateFlowKind | undefined)[] = [undefined, "login", "registration", "settings"];

export function sealState(
  config: KratosConfig,
  state: { flowId: string; kind: StateFlowKind; provider: string; pkce: string; initCode: string | undefined },
): string {
  const codeSha512 = state.initCode !== undefined ? createHash("sha512").update(state.initCode).digest() : randomBytes(16);
  const message = writeProto([
    { field: 1, bytes: uuidBytes(state.flowId) },
    { field: 2, bytes: codeSha512 },
    { field: 3, bytes: Buffer.from(state.provider, "utf8") },
    { field: 4, bytes: Buffer.from(state.pkce, "utf8") },
    { field: 5, varint: KINDS.indexOf(state.kind) },
  ]);
  return cipherFor(config).encrypt(message);
}

/** DecryptState: undefined when the cipher does not open it or the protobuf does not parse (Kratos: the state parameter is invalid). */
export function openState(config: KratosConfig, param: string): OidcState | undefined {
  let plain: Buffer;
  try {
    plain = cipherFor(config).decrypt(param);
  } catch {
    return undefined;
  }
  const fields = readProto(plain);
  if (!fields) return undefined;
  // proto.Unmarshal refuses a `string` field that is not UTF-8.
  for (const n of [3, 4]) {
    const value = fields.bytes.get(n);
    if (value && !isUtf8(value)) return undefined;
  }
  const text = (n: number) => {
    const value = fields.bytes.get(n);
    return value ? value.toString("utf8") : "";
  };
  const kind = fields.varints.get(5) ?? 0;
  return {
    // uuid.FromBytesOrNil: anything but 16 bytes is the nil UUID, which names no flow.
    flowId: uuidString(fields.bytes.get(1)),
    kind: KINDS[kind],
    provider: text(3),
    pkce: text(4),
    codeSha512: fields.bytes.get(2) ?? Buffer.alloc(0),
  };
}

/** codeMatches: the state was made for the flow's session token exchange code. */
export function codeMatches(state: OidcState, initCode: string): boolean {
  const sum = createHash("sha512").update(initCode).digest();
  return state.codeSha512.length === sum.length && timingSafeEqual(state.codeSha512, sum);
}

function uuidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, "");
  return /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, "hex") : Buffer.alloc(0);
}

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

function uuidString(bytes: Buffer | undefined): string {
  if (!bytes || bytes.length !== 16) return NIL_UUID;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
