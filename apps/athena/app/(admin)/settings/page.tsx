import type { Metadata } from "next";
import { Badge, Card, EmptyState, ErrorNotice, PageHeader, ReadOnlyNotice, Time } from "@/components/ui/primitives";
import { requireAdminPage } from "@/lib/auth/session";
import { roleAllows } from "@/lib/auth/roles";
import { athenaConfig } from "@/lib/server/config";
import { settingsStore } from "@/lib/server/olympus-db";
import { DeleteSettingButton, SettingForm } from "./setting-forms";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const admin = await requireAdminPage("viewer");
  const { domain } = athenaConfig();
  let settings;
  try {
    settings = await (await settingsStore()).list();
  } catch {
    return <ErrorNotice title="Settings are unavailable">The olympus settings database cannot be reached, or its key does not open the stored values.</ErrorNotice>;
  }
  const canWrite = roleAllows(admin.role, "admin");
  return (
    <>
      <PageHeader
        title={`${domain.toUpperCase()} settings`}
        description="Stored in the shared olympus database under this domain only; the other domain's Athena cannot read them. Secret values are encrypted (AES-256-GCM) and never shown again."
      />
      {!canWrite && <ReadOnlyNotice />}
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <div>
          {settings.length === 0 ? (
            <EmptyState title="No settings stored for this domain yet." />
          ) : (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-left text-sm" data-testid="settings-table">
                <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th className="px-3 py-2">Key</th>
                    <th className="px-3 py-2">Value</th>
                    <th className="px-3 py-2">Updated</th>
                    <th className="px-3 py-2">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {settings.map((s) => (
                    <tr key={s.key} className="border-b border-slate-100 last:border-0">
                      <td className="px-3 py-2 font-mono text-xs">{s.key}</td>
                      <td className="max-w-md truncate px-3 py-2">
                        {s.value} {s.secret && <Badge color="amber">secret</Badge>}
                      </td>
                      <td className="px-3 py-2 text-xs text-slate-600">
                        <Time value={s.updatedAt} /> {s.updatedBy && <>by {s.updatedBy}</>}
                      </td>
                      <td className="px-3 py-2 text-right">
                        <DeleteSettingButton settingKey={s.key} disabled={!canWrite} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <Card title="Set a value">
          <SettingForm canWrite={canWrite} />
        </Card>
      </div>
    </>
  );
}
