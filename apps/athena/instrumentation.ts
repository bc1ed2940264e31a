// Runs once when the server starts: a bad or cross-domain env stops the
// process here, before any request is served; then the olympus database is
// migrated (a database that is down is reported, not fatal: settings and the
// audit log answer with an error until it is back).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { validateAthenaConfigOrExit } = await import("@olympus/sdk/config/athena");
  const config = validateAthenaConfigOrExit();
  // next-auth builds its callback URLs from NEXTAUTH_URL; it is always this
  // instance's validated public URL, never a request's Host header.
  process.env.NEXTAUTH_URL = config.publicUrl;
  const { migrateOnStartup } = await import("./lib/server/olympus-db");
  migrateOnStartup().then(
    () => console.log("athena: olympus database is migrated"),
    (error: unknown) => console.error(`athena: olympus database is not ready: ${error instanceof Error ? error.message : String(error)}`),
  );
}
