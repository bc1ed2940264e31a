import type Provider from "oidc-provider";
import type { ClientMetadata } from "oidc-provider";

/**
 * oidc-provider's `Client#metadata()` rebuilds the client's snake_case view
 * key by key on every call, and one token request calls it several times
 * (scope and audience checks, access-token strategy, lifespans): a tenth of
 * a client_credentials grant's CPU. A client instance's properties are set
 * once, when it is loaded, so each instance builds the view once; callers
 * still get their own top-level object, as before.
 */
export function memoizeClientMetadata(provider: Provider): void {
  const prototype = provider.Client.prototype;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with each instance as `this` (build.call below)
  const build = prototype.metadata;
  const views = new WeakMap<object, ClientMetadata>();
  prototype.metadata = function metadata(this: InstanceType<Provider["Client"]>): ClientMetadata {
    let view = views.get(this);
    if (!view) {
      view = build.call(this);
      views.set(this, view);
    }
    return { ...view };
  };
}
