import { z } from "zod";
import {
  SOCIAL_ENABLED_KEY,
  SOCIAL_PROVIDER_FIELDS,
  SOCIAL_RULES,
  socialProviderKey,
  type SettingInput,
  type SocialCheck,
} from "@olympus/athena-store/settings";

/**
 * The "Social sign-in" provider form as submitted, checked with the store's
 * own rules (the ones the Kratos overlay reads the rows with). Field errors
 * are keyed by the form's field names and say the field and the rule.
 */
export const providerFormSchema = z
  .object({
    mode: z.enum(["create", "edit"]),
    id: z.string().max(64),
    label: z.string().max(200),
    issuer: z.string().max(4_096),
    clientId: z.string().max(1_024),
    /** Blank on edit: keep the stored secret. */
    clientSecret: z.string().max(4_096),
    scopes: z.string().max(4_096),
    /** Blank: the default mapper (the stored one is removed). */
    mapper: z.string().max(20_000),
  })
  .transform((form, context) => {
    const take = <T>(field: keyof typeof form, checked: SocialCheck<T>): T | undefined => {
      if (checked.ok) return checked.value;
      context.addIssue({ code: "custom", path: [field], message: checked.rule });
      return undefined;
    };
    const id = take("id", SOCIAL_RULES.id(form.id));
    const label = take("label", SOCIAL_RULES.label(form.label));
    const issuer = take("issuer", SOCIAL_RULES.issuer(form.issuer));
    const clientId = take("clientId", SOCIAL_RULES.clientId(form.clientId));
    const keepSecret = form.mode === "edit" && form.clientSecret === "";
    const clientSecret = keepSecret ? undefined : take("clientSecret", SOCIAL_RULES.clientSecret(form.clientSecret));
    const scopes = take("scopes", SOCIAL_RULES.scopes(form.scopes));
    const mapper = form.mapper.trim() === "" ? undefined : take("mapper", SOCIAL_RULES.mapper(form.mapper));
    if (id === undefined || label === undefined || issuer === undefined || clientId === undefined || scopes === undefined) return z.NEVER;
    if (!keepSecret && clientSecret === undefined) return z.NEVER;
    if (form.mapper.trim() !== "" && mapper === undefined) return z.NEVER;
    return { mode: form.mode, id, label, issuer, clientId, clientSecret, scopes, mapper };
  });

export type ProviderForm = z.input<typeof providerFormSchema>;
export type CheckedProvider = z.output<typeof providerFormSchema>;

/** The rows a checked provider becomes: what is set (the secret sealed) and what is removed in the same transaction. */
export function providerChanges(provider: CheckedProvider): { set: SettingInput[]; remove: string[] } {
  const key = (field: (typeof SOCIAL_PROVIDER_FIELDS)[number]) => socialProviderKey(provider.id, field);
  const set: SettingInput[] = [
    { key: key("label"), value: provider.label, secret: false },
    { key: key("issuer"), value: provider.issuer, secret: false },
    { key: key("client_id"), value: provider.clientId, secret: false },
    { key: key("scopes"), value: provider.scopes.join(" "), secret: false },
  ];
  if (provider.clientSecret !== undefined) set.push({ key: key("client_secret"), value: provider.clientSecret, secret: true });
  if (provider.mapper !== undefined) set.push({ key: key("mapper"), value: provider.mapper, secret: false });
  return { set, remove: provider.mapper === undefined ? [key("mapper")] : [] };
}

/** Every key a provider may have, for its removal. */
export function providerKeys(id: string): string[] {
  return SOCIAL_PROVIDER_FIELDS.map((field) => socialProviderKey(id, field));
}

export const enabledEntry = (enabled: boolean): SettingInput => ({ key: SOCIAL_ENABLED_KEY, value: String(enabled), secret: false });
