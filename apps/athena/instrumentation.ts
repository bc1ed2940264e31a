// Runs once when the server starts: a bad or cross-domain env stops the
// process here, before any request is served; then the olympus database is
// checked (migrated by the migration step, not by Athena, whose role has no
// DDL rights; a database that is down or not migrated yet is reported, not
// fatal: settings and the audit log answer with an error until it is ready).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { validateAthenaConfigOrExit } = await import("@olympus/runtime-config/config/athena");
  const config = validateAthenaConfigOrExit();
  // next-auth builds its callback URLs from NEXTAUTH_URL; it is always this
  // instance's validated public URL, never a request's Host header.
  process.env.NEXTAUTH_URL = config.publicUrl;
  const { olympusDbReady } = await import("./shared/server/olympus-db");
  olympusDbReady().then(
    () => console.log("athena: olympus database is ready"),
    (error: unknown) => console.error(`athena: olympus database is not ready: ${error instanceof Error ? error.message : String(error)}`),
  );
}
