import type { Metadata } from "next";
import { EmptyState, ErrorNotice, PageHeader, ReadOnlyNotice, inputClass } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { describeLoadError } from "@/shared/server/load-error";
import { hydraAdmin, kratosAdmin } from "@/shared/server/ory";
import { FilterBar, FilterField } from "@/shared/data-table/filter-bar";
import { ConsentsTable } from "./consents-table";

export const metadata: Metadata = { title: "Consent sessions" };

/** The subject may be given as an identity id or as an email (looked up in Kratos). */
async function resolveSubject(input: string): Promise<string> {
  if (!input.includes("@")) return input;
  const page = await kratosAdmin().listIdentities({ pageSize: 1, credentialsIdentifier: input.toLowerCase() });
  return page.items[0]?.id ?? input;
}

export default async function ConsentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdminPage("viewer");
  const raw = (await searchParams).subject;
  const input = typeof raw === "string" ? raw.trim().slice(0, 320) : "";
  const canWrite = roleAllows(admin.role, "admin");
  let body;
  if (!input) {
    body = <EmptyState title="Enter a subject">An identity id or email of this domain: its granted consents are listed here.</EmptyState>;
  } else {
    try {
      const subject = await resolveSubject(input);
      const sessions = await hydraAdmin().listConsentSessions(subject);
      body = (
        <ConsentsTable
          rows={sessions.map((session, index) => ({
            id: session.consent_request_id ?? String(index),
            clientId: session.consent_request?.client?.client_id,
            clientName: session.consent_request?.client?.client_name,
            scopes: (session.grant_scope ?? []).join(" "),
            grantedAt: session.handled_at,
            remembered: session.remember === true,
          }))}
          subject={subject}
          subjectLabel={input}
          canWrite={canWrite}
        />
      );
    } catch (error) {
      body = <ErrorNotice title="Consents could not be loaded">{describeLoadError(error)}</ErrorNotice>;
    }
  }
  return (
    <>
      <PageHeader
        title="OAuth2 consent sessions"
        description="What a subject has granted to which application. Revoking a consent also revokes its tokens."
      />
      {!canWrite && <ReadOnlyNotice />}
      <FilterBar action="/consents" label="Find a subject's consents" submitLabel="Show consents" active={Boolean(input)}>
        <FilterField label="Subject (identity id or email)" id="consents-subject" grow>
          <input id="consents-subject" name="subject" defaultValue={input} className={inputClass} />
        </FilterField>
      </FilterBar>
      {body}
    </>
  );
}
