import type { IncomingMessage } from "node:http";

/** What the public server does with a request before oidc-provider sees it (public/hydra-paths.ts). */
export type Mapping =
  /** On to oidc-provider: `req` stands in for the request when its body was read here. */
  | { kind: "pass"; req?: IncomingMessage }
  | { kind: "redirect"; location: string; status?: 302 | 303; headers?: Record<string, string | string[]> }
  | { kind: "html"; status: number; body: string; headers?: Record<string, string> }
  /** herodot's bytes (Encode: a trailing newline); `marshal`: fosite's json.Marshal bytes, no newline (errors.ts sendMarshaledJson). */
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string>; marshal?: true }
  | { kind: "empty"; status: number; headers?: Record<string, string> }
  /** A body written as it is under its own Content-Type (a signed userinfo answer's `application/jwt`). */
  | { kind: "text"; status: number; contentType: string; body: string };
