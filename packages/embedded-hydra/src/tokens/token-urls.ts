/**
 * The URLs an assertion's `aud` may name for this server's token endpoint:
 * fositex/config.go GetTokenURLs — OAuth2TokenURL (the public URL's
 * /oauth2/token), the public URL's and the issuer's /oauth2/token, each
 * once, in that order (urlx.AppendPaths joins the paths).
 */
export function tokenEndpointUrls(publicUrl: string, issuer: string): string[] {
  const append = (base: string) => `${base.replace(/\/+$/, "")}/oauth2/token`;
  return [...new Set([append(publicUrl), append(issuer)])];
}
