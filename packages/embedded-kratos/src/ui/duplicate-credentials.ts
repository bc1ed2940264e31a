import type { UiText } from "./messages";

/**
 * text/message_validation.go NewErrorValidationDuplicateCredentialsWithHints
 * (4000028): the sign-up's identifier is taken, and the account it belongs
 * to can be signed in to with these methods and providers.
 */
export function duplicateCredentialsWithHints(
  availableCredentialTypes: string[],
  availableOidcProviders: string[],
  identifierHint: string,
): UiText {
  const identifier = identifierHint === "" ? "an email, phone, or username" : identifierHint;
  let text = `You tried signing in with ${identifier} which is already in use by another account.`;
  if (availableCredentialTypes.length > 0) {
    let readable = availableCredentialTypes.flatMap((type) => {
      const name = READABLE[type];
      return name ? [name] : [];
    });
    // Types without a readable name (e.g. only `code`) are shown as they are, to give at least some hint.
    if (readable.length === 0) readable = [...availableCredentialTypes];
    readable = [...new Set(readable)];
    if (readable.length > 1) readable[readable.length - 1] = `or ${readable[readable.length - 1]}`;
    text += ` You can sign in using ${readable.join(", ")}.`;
  }
  if (availableOidcProviders.length > 0) {
    // Provider ids holding a template (`{…}`) are left as they are; the others are title-cased (cases.Title).
    const providers = availableOidcProviders.map((p) => (/[{}]/.test(p) ? p : goTitle(p)));
    text += ` You can sign in using one of the following social sign in providers: ${providers.join(", ")}.`;
  }
  return {
    id: 4000028,
    text,
    type: "error",
    context: {
      available_credential_types: availableCredentialTypes,
      available_oidc_providers: availableOidcProviders,
      credential_identifier_hint: identifierHint,
    },
  };
}

const READABLE: Record<string, string> = {
  password: "your password",
  oidc: "social sign in",
  saml: "social sign in",
  webauthn: "your passkey or a security key",
  passkey: "your passkey",
};

const WORD = /[\p{L}\p{N}\p{M}_]/u;
/** Characters that join two letters (or two digits) into one word under Unicode word breaking (UAX #29 MidLetter/MidNum). */
const JOINER = /[.'’:·,;]/u;

/**
 * golang.org/x/text/cases Title for English: the first letter of each word
 * upper-cased, the rest lower-cased; words break as Unicode word breaking
 * says (so `github-enterprise` is two words, `my_idp` and `a.b` one).
 */
export function goTitle(value: string): string {
  const chars = [...value];
  let out = "";
  let inWord = false;
  chars.forEach((c, i) => {
    if (WORD.test(c)) {
      out += inWord ? c.toLowerCase() : c.toUpperCase();
      inWord = true;
      return;
    }
    const prev = chars[i - 1] ?? "";
    const next = chars[i + 1] ?? "";
    const joins = inWord && JOINER.test(c) && joinsAround(c, prev, next);
    out += c;
    inWord = joins;
  });
  return out;
}

function joinsAround(c: string, prev: string, next: string): boolean {
  const letter = /\p{L}/u;
  const digit = /\p{N}/u;
  // MidLetter (`:`, `·`) and MidNumLet (`.`, `'`) join letters; MidNum (`,`, `;`) and MidNumLet join digits.
  if (letter.test(prev) && letter.test(next)) return /[.'’:·]/u.test(c);
  if (digit.test(prev) && digit.test(next)) return /[.'’,;]/u.test(c);
  return false;
}
