import type { Deps } from "../../../deps";
import type { Identity } from "../../../identity/identity";
import type { CodeAddress } from "../../../identity/extensions";
import { gracefulNormalization } from "../../../identity/normalize";
import { goToLower } from "@olympus/server-kit/text";
import type { UiText } from "../../../ui/messages";
import { mailMessages } from "../mailed-secret/messages";
import { codeMethodConfig } from "./config";

/** Who a login code is for and where it may go (strategy_login.go findIdentityForIdentifier), or the refusal. */
export type CodeRecipient = { identity: Identity; addresses: CodeAddress[] } | { refusal: UiText };

/**
 * strategy_login.go findIdentityForIdentifier: the owner of a `code`
 * credential holding the identifier, with the credential's addresses.
 * Without one, findIdentityByIdentifier looks the identifier up among all
 * credentials; that identity may have its code mailed to the identifier
 * itself, and on an aal2 flow an identifier no credential holds may be one
 * of the session identity's verifiable addresses
 * (findIdentifierInVerifiableAddress, 4010010 when it is not) — both only
 * with `missing_credential_fallback_enabled`, 4000035 otherwise.
 *
 * `session` is given on aal2 flows. Deliberate deviation (security): there an
 * identity other than the session's is treated as not found, so no code goes
 * to another identity and its addresses answer as unknown ones do.
 */
export async function findCodeRecipient(deps: Deps, rawIdentifier: string, session?: Identity): Promise<CodeRecipient> {
  // x.GracefulNormalization; the lookups then trim and lower-case it as the persister does.
  const identifier = gracefulNormalization(rawIdentifier);
  const fallback = codeMethodConfig(deps.config).config.missing_credential_fallback_enabled;
  const noCode = { refusal: mailMessages.noCodeUser() };
  const own = (identity: Identity | undefined) => (identity && (!session || identity.id === session.id) ? identity : undefined);
  const found = identifier === "" ? undefined : await deps.identityRepository.findByCredentialIdentifier("code", identifier);
  const codeOwner = own(found && found.credential.identifiers.length > 0 ? found.identity : undefined);
  if (codeOwner) return { identity: codeOwner, addresses: credentialCodeAddresses(codeOwner) };
  // findIdentityByIdentifier's fallback lookup runs only when no code credential holds the identifier.
  const other =
    found || identifier === ""
      ? undefined
      : own(await deps.identityRepository.findByAnyCredentialIdentifier(identifier, { withCredentials: true }));
  if (other) return fallback ? { identity: other, addresses: [{ address: identifier, channel: "email" }] } : noCode;
  if (!session || !fallback) return noCode;
  const address = session.verifiableAddresses.find((a) => a.value === identifier);
  if (!address || (address.via !== "email" && address.via !== "sms")) return { refusal: mailMessages.loginAddressUnknown() };
  return { identity: session, addresses: [{ address: address.value, channel: address.via }] };
}

/** The addresses a `code` credential lists (config `addresses[]`), those of a known channel. */
function credentialCodeAddresses(identity: Identity): CodeAddress[] {
  const listed = identity.credentials.code?.config.addresses;
  return (Array.isArray(listed) ? (listed as unknown[]) : []).filter(
    (a): a is CodeAddress =>
      typeof a === "object" &&
      a !== null &&
      typeof (a as { address?: unknown }).address === "string" &&
      ((a as { channel?: unknown }).channel === "email" || (a as { channel?: unknown }).channel === "sms"),
  );
}

/**
 * Where a login code goes (strategy_login.go loginSendCode): the address
 * equal to the identifier as GracefulNormalization reads it (a phone number
 * in E.164), or, when none is, every address found — each gets its own
 * code (code_sender.go SendCode).
 */
export function loginCodeAddresses(addresses: CodeAddress[], identifier: string): CodeAddress[] {
  const normalized = gracefulNormalization(identifier);
  const matching = addresses.find((a) => a.address === normalized);
  return matching ? [matching] : addresses;
}

/**
 * strategy_login.go maybeNormalizeEmail: a submitted identifier with an `@`
 * is lower-cased (strings.ToLower), not trimmed; any other is kept as sent.
 */
export function maybeNormalizeEmail(input: string): string {
  return input.includes("@") ? goToLower(input) : input;
}

/** Canonical JSON (sorted keys) to compare trait objects. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
