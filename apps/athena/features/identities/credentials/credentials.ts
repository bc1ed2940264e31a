import type { Identity } from "@olympus/ory-client/admin";
import { z } from "zod";

/** The credential types Athena can ask Kratos' admin API to remove. */
export const REMOVABLE_TYPES = ["totp", "lookup_secret", "webauthn", "oidc"] as const;
export type RemovableType = (typeof REMOVABLE_TYPES)[number];

/** One line of the identity page's credentials card (plain data: it crosses to the browser, never a secret). */
export interface CredentialItem {
  key: string;
  type: string;
  label: string;
  /** Identifiers, key names, codes left: what tells one credential from another. */
  detail: string | null;
  createdAt: string | null;
  removal: { type: RemovableType; identifier?: string; confirm: string } | { blocked: string };
}

const webauthnConfig = z.object({
  credentials: z.array(z.object({ display_name: z.string().optional(), is_passwordless: z.boolean().optional() })).default([]),
});
const lookupConfig = z.object({ recovery_codes: z.array(z.object({ used_at: z.unknown().optional() })).default([]) });

const PROVIDER_NAMES: Record<string, string> = {
  google: "Google",
  github: "GitHub",
  microsoft: "Microsoft",
  apple: "Apple",
  gitlab: "GitLab",
  facebook: "Facebook",
};

function keyNames(keys: { display_name?: string | undefined }[]): string {
  return keys.map((k, i) => k.display_name?.trim() || `key ${i + 1}`).join(", ");
}

/**
 * What the card shows for each credential, and whether (and how) Kratos'
 * admin API removes it — `DELETE /admin/identities/{id}/credentials/{type}`
 * as identity/handler.go (deleteIdentityCredentials) allows it: TOTP and
 * backup codes go whole; `webauthn` loses its second-factor keys and keeps
 * passwordless ones; a social sign-in goes one link (`provider:subject`) at
 * a time, and only while another first factor is left (Kratos checks);
 * passkeys and one-time codes are refused. A password is reset, not removed
 * (with a recovery link). Never returns secrets: backup codes are counted.
 */
export function credentialItems(identity: Identity): CredentialItem[] {
  const items: CredentialItem[] = [];
  for (const [type, credential] of Object.entries(identity.credentials ?? {})) {
    const identifiers = credential.identifiers ?? [];
    const createdAt = credential.created_at ?? null;
    const base = { type, createdAt };
    switch (type) {
      case "password":
        items.push({
          ...base,
          key: type,
          label: "Password",
          detail: identifiers.join(", ") || null,
          removal: { blocked: "A password is reset with a recovery link, not removed here." },
        });
        break;
      case "totp":
        items.push({
          ...base,
          key: type,
          label: "Authenticator app (TOTP)",
          detail: null,
          removal: { type: "totp", confirm: "They sign in without the app until they set one up again." },
        });
        break;
      case "lookup_secret": {
        const codes = lookupConfig.safeParse(credential.config ?? {});
        const left = codes.success ? codes.data.recovery_codes.filter((c) => !c.used_at).length : undefined;
        items.push({
          ...base,
          key: type,
          label: "Backup codes",
          detail: left === undefined ? null : `${left} unused`,
          removal: { type: "lookup_secret", confirm: "Every backup code stops working; they can create new ones in their settings." },
        });
        break;
      }
      case "webauthn": {
        const parsed = webauthnConfig.safeParse(credential.config ?? {});
        const keys = parsed.success ? parsed.data.credentials : [];
        // Kratos gives every identity whose schema names a webauthn identifier this credential, keys or not
        // (identity/extension_credentials.go): without a key there is nothing to show or remove.
        if (parsed.success && keys.length === 0) break;
        const secondFactor = keys.filter((k) => !k.is_passwordless);
        const passwordless = keys.filter((k) => k.is_passwordless);
        items.push({
          ...base,
          key: type,
          label: "Security keys",
          detail: keys.length > 0 ? keyNames(keys) : identifiers.join(", ") || null,
          removal:
            parsed.success && keys.length > 0 && secondFactor.length === 0
              ? { blocked: "These keys sign in without a password; Kratos' admin API removes only second-factor keys." }
              : {
                  type: "webauthn",
                  confirm:
                    passwordless.length > 0
                      ? `Kratos removes the second-factor keys (${keyNames(secondFactor)}) and keeps the ones that sign in without a password (${keyNames(passwordless)}).`
                      : "Every security key of this identity stops working.",
                },
        });
        break;
      }
      case "oidc":
        for (const link of identifiers) {
          const [provider = link, subject = ""] = link.split(/:(.*)/s);
          items.push({
            ...base,
            key: `oidc:${link}`,
            label: `Sign-in with ${PROVIDER_NAMES[provider] ?? provider}`,
            detail: subject ? `account ${subject}` : null,
            removal: {
              type: "oidc",
              identifier: link,
              confirm: `They can no longer sign in with this ${PROVIDER_NAMES[provider] ?? provider} account. Kratos refuses if it is their only way to sign in.`,
            },
          });
        }
        break;
      case "passkey": {
        const parsed = webauthnConfig.safeParse(credential.config ?? {});
        items.push({
          ...base,
          key: type,
          label: "Passkeys",
          detail: parsed.success && parsed.data.credentials.length > 0 ? keyNames(parsed.data.credentials) : null,
          removal: { blocked: "Kratos' admin API cannot remove passkeys; the person removes them in their account settings." },
        });
        break;
      }
      case "code":
        items.push({
          ...base,
          key: type,
          label: "One-time codes by email",
          detail: identifiers.join(", ") || null,
          removal: { blocked: "Kratos keeps this for each address; it cannot be removed." },
        });
        break;
      default:
        items.push({
          ...base,
          key: type,
          label: type,
          detail: identifiers.join(", ") || null,
          removal: { blocked: "Athena does not remove this kind of credential." },
        });
    }
  }
  return items;
}
