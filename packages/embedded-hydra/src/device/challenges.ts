import type { AdapterPayload } from "oidc-provider";
import type { Deps } from "../deps";
import { randomToken } from "../flows/repository";
import { PostgresAdapter } from "../storage/adapter";

/**
 * Hydra's device challenge (flow.Flow with DeviceChallengeID): created when
 * a browser opens /oauth2/device/verify, accepted with a user code through
 * the admin API, redeemed once through its device verifier. Kept as a row
 * of oidc_payloads (model `HydraDeviceChallenge`, `uid` = the verifier), so
 * the expired-row cleanup covers it and no migration is needed.
 */
export interface DeviceChallenge {
  /** The browser's device CSRF value (Hydra's DeviceCSRF). */
  csrf: string;
  /** `/oauth2/device/verify?…` without `user_code`; `client_id` added on accept. */
  requestUrl: string;
  /** Set by the admin accept (Hydra's HandledDeviceUserAuthRequest). */
  accepted?: {
    deviceCodeId: string;
    clientId: string;
    requestedScope: string[];
    requestedAudience: string[];
  };
  verifier?: string;
  redeemed?: boolean;
}

const MODEL = "HydraDeviceChallenge";

export class DeviceChallengeStore {
  private readonly adapter: PostgresAdapter;

  constructor(private readonly deps: Deps) {
    this.adapter = new PostgresAdapter(deps.db, MODEL);
  }

  private get ttl(): number {
    return this.deps.config.ttl.login_consent_request;
  }

  async create(challenge: Omit<DeviceChallenge, "accepted" | "verifier" | "redeemed">): Promise<string> {
    const id = randomToken();
    await this.adapter.upsert(id, { ...challenge }, this.ttl);
    return id;
  }

  async get(id: string): Promise<DeviceChallenge | undefined> {
    return (await this.adapter.find(id)) as (AdapterPayload & DeviceChallenge) | undefined;
  }

  /** Records the accepted user code and a fresh verifier (Hydra's stateless challenge can be accepted again until redeemed). */
  async accept(id: string, challenge: DeviceChallenge, accepted: NonNullable<DeviceChallenge["accepted"]>): Promise<string> {
    const verifier = randomToken();
    const payload: AdapterPayload = { ...challenge, accepted, verifier, uid: verifier };
    await this.adapter.upsert(id, payload, this.ttl);
    return verifier;
  }

  /** Spends a device verifier once (flow.DecodeAndInvalidateDeviceVerifier); undefined when unknown, used or expired. */
  async redeem(verifier: string): Promise<DeviceChallenge | undefined> {
    const found = (await this.adapter.findByUid(verifier)) as (AdapterPayload & DeviceChallenge & { jti?: string }) | undefined;
    if (!found?.accepted || found.redeemed) return undefined;
    const result = await this.deps.db.query(
      `UPDATE oidc_payloads SET payload = payload || '{"redeemed": true}'::jsonb
       WHERE model = $1 AND uid = $2 AND NOT (payload ? 'redeemed') AND expires_at > now()`,
      [MODEL, verifier],
    );
    return (result.rowCount ?? 0) > 0 ? found : undefined;
  }
}
