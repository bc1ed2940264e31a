import type Provider from "oidc-provider";

/**
 * The requests whose answer is oidc-provider's interaction redirect (its
 * `interaction.started` event): Hydra's redirect to the login or consent UI.
 * One marker for every middleware that treats that redirect as Hydra's own
 * (ui-redirects.ts: its status; cache-headers.ts: its Cache-Control).
 */
const started = new WeakSet<object>();
const trackedProviders = new WeakSet<Provider>();

/** Starts marking the provider's interaction redirects; calling it again for the same provider adds nothing. */
export function trackInteractionStarts(provider: Provider): void {
  if (trackedProviders.has(provider)) return;
  trackedProviders.add(provider);
  provider.on("interaction.started", (ctx: object) => started.add(ctx));
}

/** Whether this request's answer is the interaction redirect. */
export const isInteractionStarted = (ctx: object): boolean => started.has(ctx);
