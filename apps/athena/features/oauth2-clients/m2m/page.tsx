import type { Metadata } from "next";
import type { OAuth2Client } from "@olympus/ory-client/admin";
import { Badge, Card, EmptyState, ErrorNotice, PageHeader, ReadOnlyNotice, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { asRecord } from "@/shared/json";
import { isM2MClient } from "../client-input";
import { describeLoadError } from "@/shared/server/load-error";
import { m2mPolicy } from "./policy";
import { hydraAdmin } from "@/shared/server/ory";
import { lifespanMinutes } from "../token-lifespan";
import { M2MActions, NewM2MClient } from "./m2m-client-forms";

export const metadata: Metadata = { title: "Machine clients" };

/** Hydra's own lifespan is the truth; clients made before Athena sent it carry it only in metadata. */
function describeLifetime(client: OAuth2Client): string {
  const minutes = lifespanMinutes(client.client_credentials_grant_access_token_lifespan);
  if (minutes !== undefined) return `${minutes} min`;
  return String(asRecord(client.metadata).token_lifetime ?? "Hydra's default");
}

export default async function M2MClientsPage() {
  const admin = await requireAdminPage("viewer");
  let clients;
  try {
    clients = (await hydraAdmin().listClients({ pageSize: 500 })).items.filter(isM2MClient);
  } catch (error) {
    return <ErrorNotice title="Machine clients could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  const policy = await m2mPolicy();
  const canWrite = roleAllows(admin.role, "admin");
  return (
    <>
      <PageHeader
        title="Machine-to-machine clients"
        description={`Client-credentials clients: scopes from this domain's allow-list only, tokens live at most ${policy.maxTokenLifetimeMinutes} minutes.`}
      />
      {!canWrite && <ReadOnlyNotice />}
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <div>
          {clients.length === 0 ? (
            <EmptyState title="No machine clients yet." />
          ) : (
            <ul className="flex flex-col gap-3" data-testid="m2m-clients">
              {clients.map((c) => (
                <li key={c.client_id}>
                  <Card>
                    <div className="flex flex-wrap items-start justify-between gap-3">
                      <div className="text-sm">
                        <p className="font-semibold">{c.client_name}</p>
                        <p className="font-mono text-xs text-slate-600">{c.client_id}</p>
                        <p className="mt-1 flex flex-wrap gap-1">
                          {(c.scope ?? "")
                            .split(" ")
                            .filter(Boolean)
                            .map((s) => (
                              <Badge key={s} color="blue">
                                {s}
                              </Badge>
                            ))}
                        </p>
                        <p className="mt-1 text-xs text-slate-500">
                          token lifetime <span data-testid="m2m-token-lifetime">{describeLifetime(c)}</span> · created{" "}
                          <Time value={c.created_at} />
                        </p>
                      </div>
                      <M2MActions clientId={c.client_id ?? ""} canWrite={canWrite} />
                    </div>
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </div>
        <Card title="New machine client">
          <NewM2MClient allowedScopes={policy.allowedScopes} maxLifetime={policy.maxTokenLifetimeMinutes} canWrite={canWrite} />
        </Card>
      </div>
    </>
  );
}
