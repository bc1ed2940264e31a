// Runs once when the server starts: a bad or cross-domain env stops the
// process here, before any request is served.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { validateConfigOrExit } = await import("@olympus/runtime-config/config/exit-on-invalid");
  validateConfigOrExit("hera");
  // The Kratos proxy counts sign-in attempts per client address: stamp each
  // request with its connection's address before Next reads it.
  const { installPeerAddressStamp } = await import("@/lib/server/kratos-edge/peer-address");
  installPeerAddressStamp();
  const { validateEdgeOrExit } = await import("@/lib/server/kratos-edge/instance");
  await validateEdgeOrExit();
}
