import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { iamAdminRoleOf } from "@olympus/ory-client/identity";
import { Badge, Card, DefinitionList, ErrorNotice, PageHeader, ReadOnlyNotice, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { asRecord } from "@/shared/json";
import { formValue, traitFields } from "@/features/schemas/schema-form";
import { athenaConfig } from "@/shared/server/config";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";
import { toRow } from "../list/rows";
import { IdentityActions } from "./identity-actions";
import { MetadataForm } from "./metadata-form";
import { RoleForm } from "./role-form";
import { CredentialsCard } from "../credentials/credentials-card";
import { credentialItems } from "../credentials/credentials";
import { SessionList } from "../sessions/session-list";
import { TraitsForm } from "./traits-form";

export const metadata: Metadata = { title: "Identity" };

export default async function IdentityPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdminPage("viewer");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const kratos = kratosAdmin();
  let identity;
  try {
    // Configs for names and counts (security keys, backup codes); not `oidc`, whose config holds the provider's tokens.
    identity = await kratos.getIdentity(id, ["webauthn", "lookup_secret", "passkey"]);
  } catch (error) {
    return <ErrorNotice title="This identity could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  if (!identity) notFound();
  const [schema, sessions] = await Promise.all([
    kratos.getSchema(identity.schema_id).catch(() => undefined),
    kratos.listIdentitySessions(id).catch(() => []),
  ]);
  const canWrite = roleAllows(admin.role, "admin");
  const row = toRow(identity);
  const fields = traitFields(schema);
  const values = Object.fromEntries(fields.map((f) => [f.path.join("."), formValue(f, identity.traits)]));
  const credentials = credentialItems(identity);
  // Athena roles are IAM data: employees (this domain's identities) get one only on Athena IAM.
  const managesRoles = athenaConfig().domain === "iam";

  return (
    <>
      <PageHeader
        title={row.identifier}
        description={
          <>
            <Link href="/identities" className="underline">
              Identities
            </Link>{" "}
            · <span className="font-mono">{identity.id}</span>
          </>
        }
        actions={
          <>
            <Badge color={row.state === "active" ? "green" : "gray"}>{row.state}</Badge>
            <Badge>{identity.schema_id}</Badge>
          </>
        }
      />
      {!canWrite && <ReadOnlyNotice />}
      {/* minmax(0, …): a long value inside a column wraps in it instead of widening the grid past the window. */}
      <div className="grid gap-4 xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]" data-testid="identity-layout">
        <div className="flex min-w-0 flex-col gap-4">
          <Card title="Traits">
            {fields.length > 0 ? (
              <TraitsForm
                identityId={identity.id}
                fields={fields}
                initialValues={values}
                existingTraits={asRecord(identity.traits)}
                canWrite={canWrite}
              />
            ) : (
              <pre className="overflow-x-auto rounded bg-slate-50 p-3 text-xs">{JSON.stringify(identity.traits, null, 2)}</pre>
            )}
          </Card>
          <Card title="Metadata">
            <MetadataForm
              identityId={identity.id}
              metadataPublic={identity.metadata_public ? JSON.stringify(identity.metadata_public, null, 2) : ""}
              metadataAdmin={identity.metadata_admin ? JSON.stringify(identity.metadata_admin, null, 2) : ""}
              canWrite={canWrite}
            />
          </Card>
          <Card title={`Sessions (${sessions.length})`}>
            <SessionList
              identityId={identity.id}
              sessions={sessions.map((s) => ({
                id: s.id,
                active: s.active ?? false,
                authenticatedAt: s.authenticated_at ?? null,
                expiresAt: s.expires_at ?? null,
                aal: s.authenticator_assurance_level ?? null,
                device: s.devices?.[0]?.user_agent ?? null,
                ip: s.devices?.[0]?.ip_address ?? null,
              }))}
              canWrite={canWrite}
            />
          </Card>
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          {managesRoles && (
            <Card title="Athena role">
              <RoleForm
                identityId={identity.id}
                role={iamAdminRoleOf(identity.metadata_admin) ?? null}
                canWrite={canWrite}
                isSelf={identity.id === admin.id}
              />
            </Card>
          )}
          <Card title="Actions" className="min-w-0">
            <IdentityActions
              identityId={identity.id}
              state={row.state}
              confirmText={typeof asRecord(identity.traits).email === "string" ? String(asRecord(identity.traits).email) : identity.id}
              hasRecoveryAddress={(identity.recovery_addresses ?? []).length > 0}
              canWrite={canWrite}
            />
          </Card>
          <Card title="Details">
            <DefinitionList
              items={[
                ["Created", <Time key="c" value={identity.created_at} />],
                ["Updated", <Time key="u" value={identity.updated_at} />],
                ["State changed", <Time key="s" value={identity.state_changed_at} />],
                [
                  "Schema",
                  <span key="sc" className="font-mono text-xs">
                    {identity.schema_id}
                  </span>,
                ],
              ]}
            />
          </Card>
          <Card title="Credentials">
            <CredentialsCard identityId={identity.id} items={credentials} canWrite={canWrite} />
          </Card>
          <Card title="Verifiable addresses">
            <ul className="flex flex-col gap-1 text-sm">
              {(identity.verifiable_addresses ?? []).map((a) => (
                <li key={`${a.via}:${a.value}`} className="flex items-center gap-2">
                  <span>{a.value}</span>
                  <Badge color={a.verified ? "green" : "amber"}>{a.verified ? "verified" : a.status}</Badge>
                </li>
              ))}
              {(identity.verifiable_addresses ?? []).length === 0 && <li className="text-slate-500">None</li>}
            </ul>
          </Card>
          <Card title="Recovery addresses">
            <ul className="flex flex-col gap-1 text-sm">
              {(identity.recovery_addresses ?? []).map((a) => (
                <li key={`${a.via}:${a.value}`}>
                  {a.value} <span className="text-xs text-slate-500">via {a.via}</span>
                </li>
              ))}
              {(identity.recovery_addresses ?? []).length === 0 && <li className="text-slate-500">None</li>}
            </ul>
          </Card>
        </div>
      </div>
    </>
  );
}
