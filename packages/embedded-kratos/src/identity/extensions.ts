import { goToLower, goTrimSpace } from "@olympus/server-kit/text";
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
  /** Credential identifiers keyed by credential type (password, code, webauthn, ...). */
  identifiers: Record<string, string[]>;
  /** Where codes go: each code identifier with its `via`, as the `code` credential's config lists them. */
  codeAddresses: CodeAddress[];
  verifiable: ExtractedAddress[];
  recovery: ExtractedAddress[];
}

/** Kratos normalises identifiers and email addresses: strings.ToLower(strings.TrimSpace(v)), Go's simple case mapping. */
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
      const value = normalizeIdentifier(String(rawValue));
      if (value === "") continue;
      const ext = path.extension;
      if (ext.credentials?.password?.identifier) add("password", value);
      const code = ext.credentials?.code;
      if (code?.identifier) {
        add("code", value);
        const channel = code.via === "email" || code.via === "sms" ? code.via : undefined;
        if (channel && !out.codeAddresses.some((a) => a.address === value && a.channel === channel))
          out.codeAddresses.push({ channel, address: value });
      }
      if (ext.credentials?.webauthn?.identifier) add("webauthn", value);
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
