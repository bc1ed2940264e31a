/**
 * Starts the demo relying party.
 *
 *   node --import tsx src/main.ts              # configuration from DEMO_* variables
 *   node --import tsx src/main.ts --embedded   # the embedded stack's values (npm run dev); DEMO_* still override
 */
import { DemoConfigError, loadDemoConfig, type DemoConfig } from "./config";
import { openIdRelyingParty } from "./relying-party";
import { createDemoServer } from "./server";

async function configFromProcess(): Promise<DemoConfig> {
  // The development defaults come from the devstack (a dev dependency), loaded only when asked for.
  const env = process.argv.includes("--embedded") ? { ...(await import("./embedded-env")).embeddedDemoEnv(), ...process.env } : process.env;
  try {
    return loadDemoConfig(env);
  } catch (error) {
    if (!(error instanceof DemoConfigError)) throw error;
    console.error(`demo: ${error.message}`);
    process.exit(1);
  }
}

const config = await configFromProcess();
const server = createDemoServer({ config, relyingParty: openIdRelyingParty(config) });
server.once("error", (error: NodeJS.ErrnoException) => {
  console.error(`demo: cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`);
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  console.log(`demo: relying party on ${config.publicUrl.origin} (client ${config.clientId} at ${config.issuer.href})`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
