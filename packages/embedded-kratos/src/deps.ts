import type { KratosConfig } from "./config/load";
import type { Courier } from "./courier/courier";
import type { PasswordHasher } from "./hashing/hasher";
import type { CsrfManager } from "./http/csrf";
import type { IdentityManager } from "./identity/manager";
import type { IdentityRepository } from "./identity/repository";
import type { SchemaRegistry } from "./identity/schema-registry";
import type { ErrorManager } from "./selfservice/flow/error/manager";
import type { FlowRepository } from "./selfservice/flow/repository";
import type { ReturnToPolicy } from "./selfservice/flow/return-to";
import type { AalPolicy } from "./session/aal";
import type { SessionManager } from "./session/manager";
import type { Database } from "./storage/database";

/**
 * The services every handler, hook and strategy may use, built once at
 * start-up (server.ts). The strategy registry is not here: the flow layer
 * gets it through `FlowDeps` (selfservice/flow/flow-deps.ts), so strategies
 * — which the registry lists — never depend on it.
 */
export interface Deps {
  /**
   * The running config. When the config files change it is updated in place
   * (src/config/reload.ts), so read it where it is needed, per request,
   * rather than copying values out of it at start-up.
   */
  config: KratosConfig;
  db: Database;
  schemas: SchemaRegistry;
  identities: IdentityManager;
  identityRepository: IdentityRepository;
  sessions: SessionManager;
  aal: AalPolicy;
  hasher: PasswordHasher;
  flows: FlowRepository;
  errors: ErrorManager;
  csrf: CsrfManager;
  returnTo: ReturnToPolicy;
  /** Mail queue + SMTP worker (src/courier). */
  courier: Courier;
  log: (line: string) => void;
}
