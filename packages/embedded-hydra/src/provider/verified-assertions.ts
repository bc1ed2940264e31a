import type { KoaContextWithOIDC } from "oidc-provider";
import { currentRequest } from "./request-context";

/**
 * Client assertions fosite's checks have accepted in front of oidc-provider
 * (provider/assertion-authentication.ts). oidc-provider still runs its own
 * `private_key_jwt` authentication on the request; for these requests it
 * must only confirm what was decided: the client's key store offers the key
 * that verified the assertion (no second `jwks_uri` fetch with
 * oidc-provider's client), and the `jti`, recorded already, is not checked
 * again (trust/client-assertion-replay.ts).
 */
interface VerifiedAssertion {
  clientId: string;
  key: Record<string, unknown>;
}

const verified = new WeakMap<object, VerifiedAssertion>();

export function recordVerifiedAssertion(ctx: object, assertion: VerifiedAssertion): void {
  // fosite picked the key without regard to its `alg`, `use` or `key_ops`; jose would refuse a mismatch.
  const { alg: _alg, use: _use, key_ops: _ops, ...key } = assertion.key;
  verified.set(ctx, { clientId: assertion.clientId, key });
}

/** The assertion verified for the request being handled, if any. */
export function verifiedAssertion(ctx: KoaContextWithOIDC | undefined = currentRequest()): VerifiedAssertion | undefined {
  return ctx ? verified.get(ctx) : undefined;
}

type SelectForVerify = (this: { client?: { clientId?: string } }, options: unknown) => unknown[];

interface ClientKeyStorePrototype {
  selectForVerify: SelectForVerify;
}

const patchedPrototypes = new WeakSet<object>();

/**
 * Makes the key stores of `providerClient`'s kind (oidc-provider's
 * ClientKeyStore, one class per provider) answer a verified request's key
 * when oidc-provider selects keys to verify that client's assertion.
 */
export function offerVerifiedKeys(providerClient: object): void {
  const store: unknown = Reflect.get(providerClient, "asymmetricKeyStore");
  if (typeof store !== "object" || store === null) return;
  const prototype = Object.getPrototypeOf(store) as ClientKeyStorePrototype | null;
  if (!prototype || patchedPrototypes.has(prototype)) return;
  patchedPrototypes.add(prototype);
  const select = prototype.selectForVerify;
  Object.defineProperty(prototype, "selectForVerify", {
    configurable: true,
    writable: true,
    value: function selectVerified(this: { client?: { clientId?: string } }, options: unknown): unknown[] {
      const assertion = verifiedAssertion();
      if (assertion && assertion.clientId === this.client?.clientId) return [assertion.key];
      return select.call(this, options);
    },
  });
}
