import path from "node:path";
import type { NextConfig } from "next";

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
    "@olympus/kratos-settings",
    "@olympus/web-security",
  ],
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  // The build type-checks the app, not its test harnesses: those import the embedded Kratos and Hydra sources,
  // whose types are checked by `npm run typecheck` (tsconfig.json) and by their own packages.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  reactStrictMode: true,
};

export default nextConfig;
