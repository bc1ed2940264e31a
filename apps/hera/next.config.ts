import path from "node:path";
import type { NextConfig } from "next";

const DIRECT_ORY_CLIENT_IMPORTS = path.resolve(process.cwd(), "build", "direct-ory-client-imports.cjs");

// One build serves both domains: nothing here may depend on DOMAIN. The dev
// launcher runs the CIAM and IAM dev servers side by side, each with its own
// dist dir; production builds always use .next. Every production build has a
// standalone server (.next/standalone): the Docker image runs it, and so do
// an embedded tenant and the e2e journeys (about 10 MB less per process than
// `next start`, which warns that it does not serve this output).
const nextConfig: NextConfig = {
  output: "standalone",
  outputFileTracingRoot: path.resolve(process.cwd(), "../.."),
  transpilePackages: [
    "@olympus/ory-client",
    "@olympus/runtime-config",
    "@olympus/athena-store",
    "@olympus/web-security",
    "@olympus/content-negotiation",
    "@olympus/server-kit",
  ],
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // Ory Elements imports its SDK through one barrel file; importing the
  // modules it names directly keeps every other Ory Network API out of the
  // browser bundle.
  experimental: { optimizePackageImports: ["@ory/client-fetch"] },
  turbopack: {
    rules: {
      // Keep only English in Ory Elements' bundled translations, and import
      // @ory/client-fetch's models file by file instead of through its barrels
      // (see the loaders).
      "*.mjs": {
        condition: { path: /@ory[\\/]elements-react[\\/]dist[\\/]/ },
        loaders: [path.resolve(process.cwd(), "build", "english-only-ory-locales.cjs"), DIRECT_ORY_CLIENT_IMPORTS],
      },
      "*.js": {
        condition: { path: /@ory[\\/]client-fetch[\\/]dist[\\/]esm[\\/]/ },
        loaders: [DIRECT_ORY_CLIENT_IMPORTS],
      },
    },
  },
};

export default nextConfig;
