import { createHash } from "node:crypto";
import { FositeProviderError } from "../fosite-errors";
import { goUrlParse } from "@olympus/server-kit/go-url";

interface PairwiseClient {
  clientId: string;
  sectorIdentifierUri?: string | undefined;
  redirectUris?: readonly string[] | undefined;
}

/**
 * Hydra's pairwise subject (consent/subject_identifier_pairwise.go
 * pairwiseObfuscate): lowercase hex SHA-256 of the sector identifier — the
 * client's sector_identifier_uri as written, else the host (with port) of
 * its one redirect URI — the subject and the configured salt. The host is
 * url.Parse's Host (@olympus/server-kit/go-url): escapes decoded, its bytes
 * hashed as Go hashes them.
 */
export function pairwiseSubject(salt: string, subject: string, client: PairwiseClient): string {
  const redirects = client.redirectUris ?? [];
  let sector: string | Buffer;
  if (client.sectorIdentifierUri) {
    sector = client.sectorIdentifierUri;
  } else if (redirects.length > 1) {
    throw new FositeProviderError(
      "invalid_request",
      `OAuth 2.0 Client ${client.clientId} has multiple redirect_uris but no sector_identifier_uri was set which is not allowed when performing using subject type pairwise. Please reconfigure the OAuth 2.0 client properly.`,
    );
  } else if (redirects.length === 0) {
    throw new FositeProviderError(
      "invalid_request",
      `OAuth 2.0 Client ${client.clientId} neither specifies a sector_identifier_uri nor a redirect_uri which is not allowed when performing using subject type pairwise. Please reconfigure the OAuth 2.0 client properly.`,
    );
  } else {
    // Go fails the request when url.Parse refuses the URI. Registration's ParseRequestURI lets
    // little through that url.Parse refuses (`//a b/x`); such a URI is hashed with an empty host.
    const parsed = goUrlParse(redirects[0] ?? "");
    sector = parsed.ok ? Buffer.from(parsed.url.host, "latin1") : Buffer.alloc(0);
  }
  return createHash("sha256").update(sector).update(subject).update(salt).digest("hex");
}
