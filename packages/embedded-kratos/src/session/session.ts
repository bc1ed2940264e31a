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

/**
 * Session.IsActive (session/session.go), which Kratos' Session.MarshalJSON
 * writes as `active` in every answer: the stored flag, not expired, and its
 * identity active (Identity.IsActive) where the identity was loaded — an
 * answer without the identity (admin lists and GET without
 * `expand=identity`) shows the flag and expiry alone, as Kratos' does.
 */
export function isSessionActive(session: Session, now = Date.now()): boolean {
  return session.active && session.expiresAt.getTime() > now && (session.identity === undefined || session.identity.state === "active");
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
