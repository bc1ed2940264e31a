/**
 * fosite's audience rules (fosite/audience_strategy.go): how `audience` is
 * read from a request (GetAudiences) and when a requested audience is one a
 * client has whitelisted (DefaultAudienceMatchingStrategy, which Hydra uses:
 * same scheme and host, and the same path or a sub-path of it).
 */

interface LooseUrl {
  scheme: string;
  host: string;
  path: string;
}

/** The parts Go's url.Parse gives for scheme, host and path, also for strings that are not absolute URLs. */
function parseLoosely(raw: string): LooseUrl {
  const match = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)/.exec(raw);
  const authority = match?.[2] ?? "";
  let path = match?.[3] ?? "";
  try {
    path = decodeURIComponent(path);
  } catch {
    // Go keeps an undecodable path as an error; it then matches nothing, as here.
  }
  return { scheme: (match?.[1] ?? "").toLowerCase(), host: authority.slice(authority.lastIndexOf("@") + 1), path };
}

export function audienceWhitelisted(whitelist: readonly string[], requested: string): boolean {
  const wanted = parseLoosely(requested);
  return whitelist.some((entry) => {
    const allowed = parseLoosely(entry);
    const allowedPath = allowed.path.replace(/\/+$/, "");
    if (wanted.scheme !== allowed.scheme || wanted.host !== allowed.host) return false;
    if (wanted.path === allowed.path || wanted.path === allowedPath) return true;
    return (
      wanted.path.length > allowedPath.length &&
      `${wanted.path.slice(0, allowedPath.length + 1).replace(/\/+$/, "")}/` === `${allowedPath}/`
    );
  });
}

/** The first requested audience the client may not request, if any. */
export function unwhitelistedAudience(whitelist: readonly string[], requested: readonly string[]): string | undefined {
  return requested.find((audience) => !audienceWhitelisted(whitelist, audience));
}

/** fosite's GetAudiences: repeated `audience` parameters as they are, a single one split at spaces. */
export function requestedAudiences(value: unknown): string[] {
  if (Array.isArray(value)) {
    const values = value.filter((item): item is string => typeof item === "string");
    return values.length > 1 ? values.filter(Boolean) : (values[0] ?? "").split(" ").filter(Boolean);
  }
  return typeof value === "string" ? value.split(" ").filter(Boolean) : [];
}

export function audienceHint(audience: string): string {
  return `Requested audience '${audience}' has not been whitelisted by the OAuth 2.0 Client.`;
}
