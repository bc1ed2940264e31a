import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, DefinitionList, ErrorNotice, PageHeader, ReadOnlyNotice, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { fromHydraClient } from "../client-input";
import { describeLoadError } from "@/shared/server/load-error";
import { hydraAdmin } from "@/shared/server/ory";
import { EditClient } from "./edit-client";

export const metadata: Metadata = { title: "OAuth2 client" };

export default async function OAuth2ClientPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdminPage("viewer");
  const id = decodeURIComponent((await params).id);
  let client;
  try {
    client = await hydraAdmin().getClient(id);
  } catch (error) {
    return <ErrorNotice title="This client could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  if (!client) notFound();
  const canWrite = roleAllows(admin.role, "admin");
  return (
    <>
      <PageHeader
        title={client.client_name || id}
        description={
          <>
            <Link href="/oauth2-clients" className="underline">
              OAuth2 clients
            </Link>{" "}
            · <span className="font-mono">{id}</span>
          </>
        }
      />
      {!canWrite && <ReadOnlyNotice />}
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <Card title="Settings">
          <EditClient clientId={id} initial={fromHydraClient(client)} canWrite={canWrite} />
        </Card>
        <Card title="Details">
          <DefinitionList
            items={[
              [
                "Client id",
                <span key="id" className="font-mono text-xs">
                  {id}
                </span>,
              ],
              ["Authentication", client.token_endpoint_auth_method ?? "—"],
              ["Created", <Time key="c" value={client.created_at} />],
              ["Updated", <Time key="u" value={client.updated_at} />],
              ["Secret", "stored hashed by Hydra; rotate to issue a new one"],
            ]}
          />
        </Card>
      </div>
    </>
  );
}
