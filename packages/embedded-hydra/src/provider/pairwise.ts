import { createHash } from "node:crypto";
import { FositeProviderError } from "../fosite-errors";
import { parseUrl } from "../clients/go-url";

interface PairwiseClient {
  clientId: string;
  sectorIdentifierUri?: string | undefined;
  redirectUris?: readonly string[] | undefined;
}

/**
 * Hydra's pairwise subject (consent/subject_identifier_pairwise.go
 * pairwiseObfuscate): lowercase hex SHA-256 of the sector identifier — the
 * client's sector_identifier_uri as written, else the host (with port) of
 * its one redirect URI — the subject and the configured salt.
 */
export function pairwiseSubject(salt: string, subject: string, client: PairwiseClient): string {
  const redirects = client.redirectUris ?? [];
  let sector: string;
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
    sector = parseUrl(redirects[0] ?? "")?.host ?? "";
  }
  return createHash("sha256").update(sector).update(subject).update(salt).digest("hex");
}
