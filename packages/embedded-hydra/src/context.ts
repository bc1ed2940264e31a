import type { RequestListener } from "node:http";
import type Provider from "oidc-provider";
import type { HydraConfig } from "./config/load";
import type { Logger } from "./logging";
import type { HydraUrls } from "./public/fallbacks";
import type { ClientRepository } from "./storage/clients-repo";
import type { Db } from "./storage/db";
import type { FlowRepository } from "./storage/flows-repo";
import type { KeyRepository } from "./storage/keys-repo";
import type { SessionRepository } from "./storage/sessions-repo";

/** Everything request handlers need, resolved once at start-up. */
export interface HydraContext {
  config: HydraConfig;
  /** Issuer with its trailing slash, as Hydra publishes it. */
  issuer: string;
  /** Public base URL with a trailing slash (where browsers reach /oauth2/auth). */
  publicUrl: string;
  /** The UI and redirect URLs in effect (configured, else Hydra's fallback pages). */
  urls: HydraUrls;
  db: Db;
  clients: ClientRepository;
  flows: FlowRepository;
  sessions: SessionRepository;
  keys: KeyRepository;
  logger: Logger;
  /** The live oidc-provider; replaced (not mutated) when signing keys rotate. */
  provider(): Provider;
  /** The live provider's Node request listener (cached per provider instance). */
  providerCallback(): RequestListener;
  reloadProvider(): Promise<void>;
}

/** Appends query parameters to a configured URL that may already carry some. */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}
