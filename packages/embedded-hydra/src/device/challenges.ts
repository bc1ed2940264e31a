import { z } from "zod";
import type { Deps } from "../deps";
import { flowExpiry } from "../flows/repository";
import { PostgresAdapter } from "../storage/adapter";

/**
 * Hydra's device challenge (flow.Flow with DeviceChallengeID): created when
 * a browser opens /oauth2/device/verify, accepted with a user code through
 * the admin API as often as the UI asks (HandleDeviceUserAuthRequest takes
 * an unused challenge again), each time with a new device verifier. Hydra's
 * verifier is the accepted flow, encrypted: it works as often as it is
 * followed until the challenge expires (DecodeAndInvalidateDeviceVerifier
 * only changes the decoded copy). Kept as rows of oidc_payloads (model
 * `HydraDeviceChallenge` keyed by the challenge, `HydraDeviceVerifier` keyed
 * by each verifier, expiring with its challenge), so the expired-row cleanup
 * covers them and no migration is needed; the challenge and each verifier
 * carry the challenge's expiry (flows/sealed-verifier.ts) to be answered
 * "expired" after that, as Hydra's decodeFlow answers its encrypted flow.
 * The expiry is Hydra's: RequestedAt (truncated to the second) plus
 * ttl.login_consent_request.
 */

const challengeSchema = z.object({
  /** The browser's device CSRF value (Hydra's DeviceCSRF). */
  csrf: z.string(),
  /** `/oauth2/device/verify?…` without `user_code`; `client_id` added on accept. */
  requestUrl: z.string(),
  /** When the challenge expires, in milliseconds (Hydra's RequestedAt + ttl.login_consent_request). */
  expiresAt: z.number().optional(),
});
export type DeviceChallenge = z.infer<typeof challengeSchema>;

/** A device challenge accepted with a user code (Hydra's HandledDeviceUserAuthRequest), as its verifier carries it. */
const acceptedSchema = challengeSchema.extend({
  accepted: z.object({
    deviceCodeId: z.string(),
    clientId: z.string(),
    requestedScope: z.array(z.string()),
    requestedAudience: z.array(z.string()),
  }),
});
export type AcceptedDeviceChallenge = z.infer<typeof acceptedSchema>;

/** flow/flow_encoding.go decodeVerifier's outcomes for a device verifier. */
export type DeviceVerifierUse = { outcome: "valid"; challenge: AcceptedDeviceChallenge } | { outcome: "expired" } | { outcome: "invalid" };

/** flow/flow_encoding.go decodeFlow's outcomes for a device challenge: the flow, expired (401) or never issued (404). */
export type DeviceChallengeLookup = { outcome: "valid"; challenge: DeviceChallenge } | { outcome: "expired" } | { outcome: "invalid" };

const CHALLENGES = "HydraDeviceChallenge";
const VERIFIERS = "HydraDeviceVerifier";

export class DeviceChallengeStore {
  private readonly challenges: PostgresAdapter;
  private readonly verifiers: PostgresAdapter;

  constructor(private readonly deps: Deps) {
    this.challenges = new PostgresAdapter(deps.db, CHALLENGES);
    this.verifiers = new PostgresAdapter(deps.db, VERIFIERS);
  }

  /** forwardDeviceRequest: expiring at Hydra's RequestedAt (truncated to the second) + ttl.login_consent_request. */
  async create(challenge: Omit<DeviceChallenge, "expiresAt">): Promise<string> {
    const expiresAt = flowExpiry(this.deps.config.ttl.login_consent_request).getTime();
    const id = this.deps.flows.newVerifier("device_challenge", new Date(expiresAt));
    await this.challenges.upsert(id, { ...challenge, expiresAt }, Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000)));
    return id;
  }

  /** The admin accept's DecodeFromDeviceChallenge: a live challenge, else expired (also once cleaned up) or never issued. */
  async get(id: string): Promise<DeviceChallengeLookup> {
    const parsed = challengeSchema.safeParse(await this.challenges.find(id));
    if (parsed.success && (parsed.data.expiresAt ?? Infinity) > Date.now()) return { outcome: "valid", challenge: parsed.data };
    const sealedExpiry = this.deps.flows.issuedVerifierExpiry("device_challenge", id);
    return sealedExpiry && sealedExpiry.getTime() <= Date.now() ? { outcome: "expired" } : { outcome: "invalid" };
  }

  /** A new device verifier for the accepted challenge, expiring with it; earlier ones stay valid. */
  async accept(challenge: DeviceChallenge, accepted: AcceptedDeviceChallenge["accepted"]): Promise<string> {
    const expiresAt = challenge.expiresAt ?? Date.now() + this.deps.config.ttl.login_consent_request * 1000;
    const verifier = this.deps.flows.newVerifier("device", new Date(expiresAt));
    const payload: AcceptedDeviceChallenge = { ...challenge, expiresAt, accepted };
    await this.verifiers.upsert(verifier, { ...payload }, Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000)));
    return verifier;
  }

  /** flow.DecodeAndInvalidateDeviceVerifier: the accepted challenge, as often as asked, until it expires. */
  async use(verifier: string): Promise<DeviceVerifierUse> {
    const found = acceptedSchema.safeParse(await this.verifiers.find(verifier));
    if (found.success && (found.data.expiresAt ?? Infinity) > Date.now()) return { outcome: "valid", challenge: found.data };
    // Not live: told apart from text never issued by the expiry the verifier carries, as Hydra's decodeFlow.
    const sealedExpiry = this.deps.flows.issuedVerifierExpiry("device", verifier);
    return sealedExpiry && sealedExpiry.getTime() <= Date.now() ? { outcome: "expired" } : { outcome: "invalid" };
  }
}
