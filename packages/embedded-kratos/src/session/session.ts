import type { AuthenticatorAssuranceLevel, Identity } from "../identity/identity";
import { goTimeString } from "../clock/go-time";

/** One completed authentication step of a session (session.go AuthenticationMethod). */
export interface AuthenticationMethod {
  method: string;
  aal: AuthenticatorAssuranceLevel;
  completed_at: string;
  provider?: string;
  organization?: string;
}

export interface SessionDevice {
  id: string;
  ip_address: string | null;
  user_agent: string | null;
  location: string | null;
}

export interface Session {
  id: string;
  identityId: string;
  active: boolean;
  aal: AuthenticatorAssuranceLevel;
  authenticationMethods: AuthenticationMethod[];
  authenticatedAt: Date;
  issuedAt: Date;
  expiresAt: Date;
  devices: SessionDevice[];
  /** Loaded where the response needs it. */
  identity?: Identity;
}

/** `active` in JSON is the stored flag AND not expired, as in Kratos. */
export function isSessionActive(session: Session, now = Date.now()): boolean {
  return session.active && session.expiresAt.getTime() > now;
}

export function sessionToJson(session: Session, identityJson: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    id: session.id,
    active: isSessionActive(session),
    expires_at: goTimeString(session.expiresAt),
    authenticated_at: goTimeString(session.authenticatedAt),
    authenticator_assurance_level: session.aal,
    authentication_methods: session.authenticationMethods,
    issued_at: goTimeString(session.issuedAt),
    ...(identityJson ? { identity: identityJson } : {}),
    devices: session.devices,
  };
}
