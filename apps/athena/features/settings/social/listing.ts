import {
  defaultSocialSignInEnabled,
  parseSocialProviderKey,
  SOCIAL_ENABLED_KEY,
  SOCIAL_RULES,
  type SettingListing,
} from "@olympus/athena-store/settings";
import type { Domain } from "@olympus/runtime-config/config";

/** A provider as the settings page shows it: never its client secret, only whether one is stored. */
export interface ProviderListing {
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  scopes: string;
  mapper: string;
  hasSecret: boolean;
  /** Fields a working provider needs that are not stored (set by key, or half-removed): Kratos is not given it. */
  missing: string[];
}

export interface SocialListing {
  /** The effective value: stored, or the domain's default. */
  enabled: boolean;
  enabledIsDefault: boolean;
  providers: ProviderListing[];
}

const REQUIRED: [keyof ProviderListing, string][] = [
  ["label", "button label"],
  ["issuer", "issuer"],
  ["clientId", "client id"],
  ["scopes", "scopes"],
];

/** From the masked listing of the store: what the "Social sign-in" section shows. */
export function socialListing(domain: Domain, settings: readonly SettingListing[]): SocialListing {
  const enabledRow = settings.find((s) => s.key === SOCIAL_ENABLED_KEY);
  const enabledChecked = enabledRow && !enabledRow.secret ? SOCIAL_RULES.enabled(enabledRow.value) : undefined;
  const byId = new Map<string, ProviderListing>();
  for (const setting of settings) {
    const parsed = parseSocialProviderKey(setting.key);
    if (!parsed) continue;
    const provider = byId.get(parsed.id) ?? {
      id: parsed.id,
      label: "",
      issuer: "",
      clientId: "",
      scopes: "",
      mapper: "",
      hasSecret: false,
      missing: [],
    };
    const text = setting.secret ? "" : setting.value;
    if (parsed.field === "client_secret") provider.hasSecret = true;
    else if (parsed.field === "client_id") provider.clientId = text;
    else provider[parsed.field] = text;
    byId.set(parsed.id, provider);
  }
  const providers = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  for (const provider of providers) {
    provider.missing = REQUIRED.filter(([field]) => !provider[field]).map(([, name]) => name);
    if (!provider.hasSecret) provider.missing.push("client secret");
  }
  return {
    enabled: enabledChecked?.ok ? enabledChecked.value : defaultSocialSignInEnabled(domain),
    enabledIsDefault: !enabledChecked?.ok,
    providers,
  };
}
