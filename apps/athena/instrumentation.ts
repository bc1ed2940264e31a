// Runs once when the server starts: a bad or cross-domain env stops the
// process here, before any request is served.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { validateConfigOrExit } = await import("@olympus/sdk/config/exit-on-invalid");
  validateConfigOrExit("athena");
}
