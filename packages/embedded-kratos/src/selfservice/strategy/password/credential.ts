/** The password credential config as Kratos stores it: `{ "hashed_password": "<phc/bcrypt string>" }`. */
export function readPasswordCredential(config: Record<string, unknown>): string | undefined {
  const hash = config.hashed_password;
  return typeof hash === "string" && hash.length > 0 ? hash : undefined;
}
