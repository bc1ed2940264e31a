import { randomUUID } from "node:crypto";
import type { KratosConfig } from "../config/load";
import type { Identity } from "../identity/identity";
import type { HttpContext } from "../http/context";
import { serializeCookie } from "../http/cookies";
import type { CsrfManager } from "../http/csrf";
import { errors } from "../http/errors";
import { sessionAal } from "./aal";
import type { SessionRepository } from "./repository";
import { type AuthenticationMethod, isSessionActive, type Session, type SessionDevice } from "./session";

/** uuid.Nil: the id of a device Kratos appends in memory without storing it. */
const NIL_UUID = "00000000-0000-0000-0000-000000000000";
import { hashToken, newLogoutToken, newSessionToken } from "./tokens";
import { now as timeNow } from "../clock/clock";

export interface IssuedSession {
  session: Session;
  token: string;
}

/** A session built but not stored yet: `persist` stores it (Kratos' UpsertSession). */
export interface PendingSession {
  session: Session;
  persist(): Promise<void>;
}

/** Issues sessions, finds the session of a request, and writes the session cookie. */
export class SessionManager {
  constructor(
    private readonly config: KratosConfig,
    readonly repository: SessionRepository,
  ) {}

  get cookieName(): string {
    return this.config.session.cookie.name;
  }

  /**
   * A new session built in memory (manager_http.go ActivateSession); `persist`
   * stores it (UpsertSession). Login and recovery run their after hooks in
   * between, as PostLoginHook and PostRecoveryHook do, so a hook that stops
   * the flow leaves nothing stored.
   */
  prepareIssue(ctx: HttpContext, identity: Identity, methods: AuthenticationMethod[]): PendingSession & { token: string } {
    // manager_http.go ActivateSession: time.Now().UTC(), answered with its nanoseconds (stored with microseconds).
    const now = timeNow();
    const token = newSessionToken();
    const device = { id: randomUUID(), ...this.deviceOf(ctx) };
    const session: Session = {
      id: randomUUID(),
      identityId: identity.id,
      active: true,
      aal: sessionAal(methods),
      authenticationMethods: methods,
      authenticatedAt: now,
      issuedAt: now,
      expiresAt: now.add(this.config.session.lifespan),
      devices: [device],
      identity,
    };
    const persist = () => this.repository.create(session, hashToken(token), hashToken(newLogoutToken()), device);
    return { session, token, persist };
  }

  async issue(ctx: HttpContext, identity: Identity, methods: AuthenticationMethod[]): Promise<IssuedSession> {
    const pending = this.prepareIssue(ctx, identity, methods);
    await pending.persist();
    return { session: pending.session, token: pending.token };
  }

  /**
   * Kratos' ActivateSession on a session that already exists (a refresh or an
   * AAL upgrade), followed by its UpsertSession: the methods are added and
   * authenticated_at, expires_at and issued_at restart now, and the request's
   * device is appended — but UpsertSession's update leaves out `issued_at` and
   * never writes devices of an existing session, so only the session in this
   * answer carries the new issued_at and the extra (unsaved, nil-id) device;
   * the stored session keeps its own (persistence/sql/persister_session.go).
   */
  prepareActivation(ctx: HttpContext, current: Session, methods: AuthenticationMethod[]): PendingSession {
    // manager_http.go ActivateSession: time.Now().UTC(), answered with its nanoseconds (stored with microseconds).
    const now = timeNow();
    const session: Session = {
      ...current,
      active: true,
      authenticationMethods: [...current.authenticationMethods, ...methods],
      authenticatedAt: now,
      issuedAt: now,
      expiresAt: now.add(this.config.session.lifespan),
      devices: [...current.devices, { ...this.deviceOf(ctx), id: NIL_UUID }],
    };
    session.aal = sessionAal(session.authenticationMethods);
    return { session, persist: () => this.repository.updateAuthentication(session) };
  }

  async activateExisting(ctx: HttpContext, current: Session, methods: AuthenticationMethod[]): Promise<Session> {
    const pending = this.prepareActivation(ctx, current, methods);
    await pending.persist();
    return pending.session;
  }

  /** Session.SetSessionDeviceInformation: the client address and User-Agent of the request. */
  private deviceOf(ctx: HttpContext): Omit<SessionDevice, "id"> {
    return { ip_address: ctx.clientIp, user_agent: ctx.header("user-agent") ?? null, location: null };
  }

  /** The session token of a request: X-Session-Token, the session cookie, or Authorization: Bearer (Kratos' order). */
  tokenFrom(ctx: HttpContext, options: { cookie?: boolean } = {}): string | undefined {
    const header = ctx.header("x-session-token");
    if (header) return header;
    // Kratos' extractToken: the session cookie before an Authorization header.
    const cookie = options.cookie === false ? undefined : ctx.cookie(this.cookieName);
    if (cookie) return cookie;
    const auth = ctx.header("authorization");
    if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
    return undefined;
  }

  /** The active session of the request (identity loaded), or undefined. */
  async fromRequest(ctx: HttpContext): Promise<Session | undefined> {
    const token = this.tokenFrom(ctx);
    if (!token) return undefined;
    return this.fromToken(token);
  }

  async fromToken(token: string): Promise<Session | undefined> {
    if (token.length > 512) return undefined;
    const session = await this.repository.findByTokenHash(hashToken(token));
    if (!session || !isSessionActive(session) || session.identity?.state !== "active") return undefined;
    return session;
  }

  async require(ctx: HttpContext): Promise<Session> {
    const session = await this.fromRequest(ctx);
    if (!session) throw errors.noActiveSession();
    return session;
  }

  /** A new logout token for the session (only its digest is stored; a newer token replaces an older one). */
  async newLogoutToken(session: Session): Promise<string> {
    const token = newLogoutToken();
    await this.repository.setLogoutTokenHash(session.id, hashToken(token));
    return token;
  }

  /**
   * ManagerHTTP.IssueCookie: the session cookie, and a new anti-CSRF token when
   * the browser had no session before (or another identity's) — so flows a
   * signed-out browser started cannot be submitted with the new session.
   */
  async issueCookie(
    ctx: HttpContext,
    csrf: CsrfManager,
    token: string,
    session: Session,
    /** The request's session when the caller already looked it up (null: none), saving the lookup. */
    known?: Session | null,
  ): Promise<void> {
    const previous = known === undefined ? await this.fromRequest(ctx) : known;
    if (previous?.identityId !== session.identityId) csrf.regenerate(ctx);
    this.setCookie(ctx, token, session);
  }

  setCookie(ctx: HttpContext, token: string, session: Session): void {
    const c = this.config.session.cookie;
    ctx.setCookie(
      serializeCookie(this.cookieName, token, {
        path: c.path ?? this.config.cookies.path,
        domain: c.domain ?? this.config.cookies.domain,
        httpOnly: true,
        secure: this.config.secureCookies,
        sameSite: c.same_site ?? this.config.cookies.same_site,
        ...(c.persistent ? { expires: session.expiresAt, maxAgeSeconds: (session.expiresAt.getTime() - Date.now()) / 1000 } : {}),
      }),
    );
  }

  clearCookie(ctx: HttpContext): void {
    const c = this.config.session.cookie;
    ctx.setCookie(
      serializeCookie(this.cookieName, "", {
        path: c.path ?? this.config.cookies.path,
        domain: c.domain ?? this.config.cookies.domain,
        httpOnly: true,
        secure: this.config.secureCookies,
        sameSite: c.same_site ?? this.config.cookies.same_site,
        expires: new Date(0),
        maxAgeSeconds: 0,
      }),
    );
  }
}
