import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { HydraConfig } from "./config/load";
import type { Logger } from "./logging";
import type { HydraUrls } from "./public/fallbacks";
import type { ClientRepository } from "./clients/repository";
import type { Db } from "./storage/db";
import type { FlowRepository } from "./flows/repository";
import type { KeyRepository } from "./keys/repository";
import type { SessionRepository } from "./sessions/repository";

/** Everything request handlers need, resolved once at start-up. */
export interface Deps {
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
  /** The live provider's Node request handler (cached per provider instance); it settles once Koa has answered. */
  providerCallback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  reloadProvider(): Promise<void>;
}
