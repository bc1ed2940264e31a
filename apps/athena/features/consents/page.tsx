import type { Metadata } from "next";
import { EmptyState, ErrorNotice, PageHeader, ReadOnlyNotice, Time, inputClass } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { describeLoadError } from "@/shared/server/load-error";
import { hydraAdmin, kratosAdmin } from "@/shared/server/ory";
import { RevokeConsent } from "./revoke-consent";

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
      body =
        sessions.length === 0 ? (
          <EmptyState title={`No consents granted by ${input}.`} />
        ) : (
          <div className="flex flex-col gap-3">
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-left text-sm" data-testid="consents-table">
                <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th className="px-3 py-2">Client</th>
                    <th className="px-3 py-2">Scopes</th>
                    <th className="px-3 py-2">Granted</th>
                    <th className="px-3 py-2">Remembered</th>
                    <th className="px-3 py-2">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.map((s, index) => {
                    const client = s.consent_request?.client;
                    return (
                      <tr key={s.consent_request_id ?? index} className="border-b border-slate-100 last:border-0">
                        <td className="px-3 py-2">
                          {client?.client_name || client?.client_id}{" "}
                          <span className="font-mono text-xs text-slate-500">{client?.client_id}</span>
                        </td>
                        <td className="px-3 py-2 text-xs">{(s.grant_scope ?? []).join(" ")}</td>
                        <td className="px-3 py-2">
                          <Time value={s.handled_at} />
                        </td>
                        <td className="px-3 py-2">{s.remember ? "yes" : "no"}</td>
                        <td className="px-3 py-2 text-right">
                          {client?.client_id && <RevokeConsent subject={subject} clientId={client.client_id} disabled={!canWrite} />}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <div>
              <RevokeConsent subject={subject} disabled={!canWrite} />
            </div>
          </div>
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
      <form role="search" method="get" className="mb-4 flex items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <label className="flex flex-1 flex-col gap-1 text-sm">
          <span className="text-slate-600">Subject (identity id or email)</span>
          <input name="subject" defaultValue={input} className={inputClass} />
        </label>
        <button type="submit" className="rounded-md bg-brand px-3 py-1.5 text-sm font-semibold text-white">
          Show consents
        </button>
      </form>
      {body}
    </>
  );
}
