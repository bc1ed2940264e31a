import { goJosePublicMarshal, type MarshalledJwk } from "./go-jose-marshal";
import { ACCESS_TOKEN_KEY_SET, ID_TOKEN_KEY_SET, type KeyRepository } from "./repository";

/**
 * jwk/handler.go discoverJsonWebKeys: the keys of config.WellKnownKeys —
 * `webfinger.jwks.broadcast_keys` (default the ID token set), then the
 * access token and ID token sets, each once — every set newest key first,
 * a set that does not exist generated (RS256), each key as go-jose marshals
 * its public part (ExcludePrivateKeys). A symmetric key, which has no public
 * form, is left out, where Hydra's answer fails as a whole (go-jose cannot
 * marshal the empty key Public() returns for it): a deliberate robustness
 * choice (README "Known differences").
 */
export async function wellKnownKeys(keys: KeyRepository): Promise<{ keys: MarshalledJwk[] }> {
  const sets = await Promise.all(
    [ID_TOKEN_KEY_SET, ACCESS_TOKEN_KEY_SET].map(async (set) => {
      const stored = await keys.list(set);
      return stored.length > 0 ? stored : keys.ensure(set);
    }),
  );
  const published = sets.flat().map((key) => goJosePublicMarshal(key));
  return { keys: published.filter((key) => key !== undefined) };
}
