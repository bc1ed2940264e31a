/**
 * oidc-provider's per-instance state (its configuration after processing).
 * Not part of its public API: read only where the public API offers no way
 * (provider/scope-registry.ts), and checked at start-up.
 */
declare module "oidc-provider/lib/helpers/weak_cache.js" {
  const instance: (provider: object) => { configuration?: { scopes?: unknown }; responseModes?: Map<string, unknown> } | undefined;
  export default instance;
}

/** oidc-provider's grant revocation (what its refresh grant does on reuse); read by provider/refresh-rotation.ts. */
declare module "oidc-provider/lib/helpers/revoke.js" {
  const revoke: (ctx: import("oidc-provider").KoaContextWithOIDC, grantId: string | undefined) => Promise<void>;
  export default revoke;
}
