import type { Metadata } from "next";
import { Badge, Card, DefinitionList, EmptyState, ErrorNotice, PageHeader, ReadOnlyNotice, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from "@/shared/auth/policy";
import { athenaConfig } from "@/shared/server/config";
import { settingsStore } from "@/shared/server/olympus-db";
import { m2mPolicy } from "@/features/oauth2-clients/m2m/policy";
import { DEFAULT_MFA_POLICY } from "@olympus/runtime-config/config";
import { DEFAULT_SECOND_FACTOR_METHODS } from "@olympus/athena-store/settings";
import { CAPTCHA_DIFFICULTY, settingDefinition } from "./catalog";
import { defaultInvitationTemplate } from "@/features/identities/invitation/template";
import { SettingGroupForm, type StoredValue } from "./setting-group-form";
import { DeleteSettingButton, SettingForm } from "./setting-forms";
import { socialListing } from "./social/listing";
import { SocialSignInSection } from "./social/social-section";
import { TestMailButton } from "./test-mail/test-mail-button";

export const metadata: Metadata = { title: "Settings" };

/** What Hera applies while a CAPTCHA key is unset (apps/hera/lib/server/captcha/policy.ts). */
const CAPTCHA_DEFAULTS = {
  "captcha.registration": "off",
  "captcha.recovery": "off",
  "captcha.login_after_failures": "0",
  "captcha.difficulty": String(CAPTCHA_DIFFICULTY.default),
};

function duration(seconds: number): string {
  const [amount, unit] =
    seconds % 3600 === 0 ? [seconds / 3600, "hour"] : seconds % 60 === 0 ? [seconds / 60, "minute"] : [seconds, "second"];
  return `${amount} ${unit}${amount === 1 ? "" : "s"}`;
}

export default async function SettingsPage() {
  const admin = await requireAdminPage("viewer");
  const { domain, session } = athenaConfig();
  let settings;
  try {
    settings = await (await settingsStore()).list();
  } catch {
    return (
      <ErrorNotice title="Settings are unavailable">
        The olympus settings database cannot be reached, or its key does not open the stored values.
      </ErrorNotice>
    );
  }
  const canWrite = roleAllows(admin.role, "admin");
  // Listing never opens a secret: the typed forms learn only whether one is set, and whether it is sealed.
  const stored: Record<string, StoredValue> = Object.fromEntries(
    settings.map((s): [string, StoredValue] => {
      if (settingDefinition(s.key)?.secret) return [s.key, { secret: true, sealed: s.secret }];
      return [s.key, { secret: false, value: s.secret ? "" : s.value }];
    }),
  );
  const policy = await m2mPolicy();
  const m2mDefaults = {
    "m2m.allowed_scopes": policy.allowedScopes.join(" "),
    "m2m.max_token_lifetime_minutes": String(policy.maxTokenLifetimeMinutes),
  };
  return (
    <>
      <PageHeader
        title={`${domain.toUpperCase()} settings`}
        description="Stored in the shared olympus database under this domain only; the other domain's Athena cannot read them. Secret values are encrypted (AES-256-GCM) and never shown again."
      />
      {!canWrite && <ReadOnlyNotice />}
      <div className="mb-4 grid gap-4 lg:grid-cols-3">
        <Card title="Outgoing mail (SMTP)">
          <SettingGroupForm group="smtp" stored={stored} canWrite={canWrite} />
          <TestMailButton canWrite={canWrite} adminEmail={admin.email} />
        </Card>
        <Card title="Machine clients (M2M)">
          <SettingGroupForm group="m2m" stored={stored} defaults={m2mDefaults} canWrite={canWrite} />
        </Card>
        <Card title="CAPTCHA">
          <SettingGroupForm group="captcha" stored={stored} defaults={CAPTCHA_DEFAULTS} canWrite={canWrite} />
          <p className="mt-3 text-xs text-slate-500">
            A self-hosted proof-of-work (ALTCHA) that Hera&apos;s sign-up, recovery and sign-in forms solve in the browser; checked by Hera
            before Kratos sees the request. Applies within seconds of a save.
          </p>
        </Card>
        <Card title="Second factor (MFA)">
          <SettingGroupForm
            group="mfa"
            stored={stored}
            defaults={{
              "mfa.required": DEFAULT_MFA_POLICY[domain].required ? "on" : "off",
              "mfa.allowed_methods": DEFAULT_SECOND_FACTOR_METHODS.join(" "),
              "mfa.grace_days": String(DEFAULT_MFA_POLICY[domain].graceDays),
            }}
            canWrite={canWrite}
          />
          <p className="mt-3 text-xs text-slate-500">
            Enforced by Hera within seconds of a save: on every sign-in to an application (OAuth2 through Hydra) and every native app&apos;s
            sign-in. An unset value keeps Hera&apos;s MFA_REQUIRED / MFA_GRACE_DAYS, shown here with the domain&apos;s built-in defaults.
          </p>
        </Card>
        <Card title="Social sign-in" className="lg:col-span-2">
          <SocialSignInSection listing={socialListing(domain, settings)} domain={domain} canWrite={canWrite} />
        </Card>
        <Card title="Invitation mail">
          <SettingGroupForm
            group="invitation"
            stored={stored}
            defaults={{
              "invitation.subject": defaultInvitationTemplate(domain).subject,
              "invitation.body": defaultInvitationTemplate(domain).body,
            }}
            canWrite={canWrite}
          />
          <p className="mt-3 text-xs text-slate-500">
            Sent by Athena (Kratos has no invitation mail) with the SMTP settings above, when an identity is created with an invitation or
            from its page. The link signs the person in once and opens settings to choose a password.
          </p>
        </Card>
        <Card title="Athena sessions">
          <DefinitionList
            items={[
              ["Signed out when idle for", duration(SESSION_IDLE_SECONDS)],
              ["Signed out at the latest after", duration(SESSION_ABSOLUTE_SECONDS)],
              ["Role re-checked with IAM every", duration(session.revalidateSeconds)],
            ]}
          />
          <p className="mt-3 text-xs text-slate-500">
            Set by Athena&apos;s deployment, not here: shown so an admin knows when a removed role stops working.
          </p>
        </Card>
      </div>
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
