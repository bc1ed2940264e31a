/** What the public server does with a request before oidc-provider sees it (public/hydra-paths.ts). */
export type Mapping =
  | { kind: "pass" }
  | { kind: "redirect"; location: string; status?: 302 | 303; headers?: Record<string, string | string[]> }
  | { kind: "html"; status: number; body: string }
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "empty"; status: number; headers?: Record<string, string> };
