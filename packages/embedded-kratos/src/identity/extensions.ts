import { goToLower, goTrimSpace } from "@olympus/server-kit/text";
import { normalizeCodeAddress } from "./normalize";
import type { IdentitySchema } from "./schema-registry";

export interface ExtractedAddress {
  via: string;
  value: string;
}

/** One address of a `code` credential's config (identity/credentials_code.go, CredentialsCodeAddress). */
export interface CodeAddress {
  channel: "email" | "sms";
  address: string;
}

/** What the `ory.sh/kratos` extension keys say about a set of traits. */
export interface ExtractedTraits {
  /**
   * Credential identifiers keyed by credential type (password, code, webauthn, ...), as Kratos' extension
   * leaves them in memory — and the admin API answers them — before the persister stores them trimmed and lower-cased.
   */
  identifiers: Record<string, string[]>;
  /** Where codes go: each code identifier with its `via`, as the `code` credential's config lists them. */
  codeAddresses: CodeAddress[];
  verifiable: ExtractedAddress[];
  recovery: ExtractedAddress[];
}

/**
 * The persister's normalisation of stored identifiers and addresses (persister_identity.go stringToLowerTrim,
 * NormalizeIdentifier for password, code and webauthn): strings.ToLower(strings.TrimSpace(v)), Go's simple case mapping.
 */
export function normalizeIdentifier(value: string): string {
  return goToLower(goTrimSpace(value));
}

export function readTrait(traits: unknown, segments: string[]): unknown {
  let current: unknown = traits;
  for (const s of segments) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[s];
  }
  return current;
}

export function extractFromTraits(schema: IdentitySchema, traits: unknown): ExtractedTraits {
  const out: ExtractedTraits = { identifiers: {}, codeAddresses: [], verifiable: [], recovery: [] };
  const add = (type: string, value: string) => {
    const list = (out.identifiers[type] ??= []);
    if (!list.includes(value)) list.push(value);
  };
  for (const path of schema.paths) {
    const raw = readTrait(traits, path.segments);
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string | number => typeof v === "string" || typeof v === "number");
    for (const rawValue of values) {
      const text = String(rawValue);
      const value = normalizeIdentifier(text);
      if (value === "") continue;
      const ext = path.extension;
      // setIdentifier lower-cases without trimming; the persister trims when it stores (repository.ts writeCredentials).
      if (ext.credentials?.password?.identifier) add("password", goToLower(text));
      const code = ext.credentials?.code;
      if (code?.identifier) {
        const channel = code.via === "email" || code.via === "sms" ? code.via : undefined;
        // NormalizeIdentifier(value, via): an e-mail lower-cased and trimmed when it has an `@`, a phone number in E.164.
        // A number that does not parse fails the trait in the validator (kratos-extension.ts) and gives no address.
        const normalized = channel ? normalizeCodeAddress(text, channel) : { address: value };
        if ("address" in normalized) {
          const address = normalized.address;
          add("code", address);
          if (channel && !out.codeAddresses.some((a) => a.address === address && a.channel === channel))
            out.codeAddresses.push({ channel, address });
        }
      }
      if (ext.credentials?.webauthn?.identifier) add("webauthn", goToLower(text));
      if (ext.credentials?.passkey?.display_name) add("passkey_display_name", value);
      const verificationVia = ext.verification?.via;
      if (verificationVia && !out.verifiable.some((a) => a.value === value && a.via === verificationVia))
        out.verifiable.push({ via: verificationVia, value });
      const recoveryVia = ext.recovery?.via;
      if (recoveryVia && !out.recovery.some((a) => a.value === value && a.via === recoveryVia))
        out.recovery.push({ via: recoveryVia, value });
    }
  }
  delete out.identifiers.passkey_display_name;
  return out;
}

/**
 * Form posts carry strings; coerce them to the types the schema declares
 * (booleans, numbers) and drop empty optional values, like Kratos' decoder.
 */
export function coerceFormTraits(schema: IdentitySchema, traits: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(traits);
  for (const path of schema.paths) {
    const parentSegments = path.segments.slice(0, -1);
    const key = path.segments[path.segments.length - 1] ?? "";
    const parent = readTrait(out, parentSegments);
    if (typeof parent !== "object" || parent === null || Array.isArray(parent)) continue;
    const container = parent as Record<string, unknown>;
    const value = container[key];
    if (typeof value !== "string") continue;
    if (value === "" && !path.required) {
      delete container[key];
      continue;
    }
    if (path.type === "boolean") container[key] = value === "true" || value === "on" || value === "1";
    else if ((path.type === "number" || path.type === "integer") && value.trim() !== "" && !Number.isNaN(Number(value)))
      container[key] = Number(value);
  }
  return out;
}
