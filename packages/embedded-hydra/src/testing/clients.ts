import type { HydraUnderTest } from "./harness";

/** A client made through the admin API: what a test authenticates with, and the admin API's whole answer. */
export interface CreatedClient {
  id: string;
  secret: string;
  /** The admin API's answer, as JSON. */
  created: Record<string, unknown>;
}

/** `POST /admin/clients` with `body` (the set-up every test with a client of its own shares). */
export async function createClient(hydra: HydraUnderTest, body: Record<string, unknown>): Promise<CreatedClient> {
  const { data } = await hydra.admin.createOAuth2Client({ oAuth2Client: body });
  return { id: data.client_id ?? "", secret: data.client_secret ?? "", created: data as unknown as Record<string, unknown> };
}
