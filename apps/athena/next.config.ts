import path from "node:path";
import type { NextConfig } from "next";

// One build serves both domains: nothing here may depend on DOMAIN. The dev
// launcher runs the CIAM and IAM dev servers side by side, each with its own
// dist dir; production builds always use .next. The Docker image asks for a
// standalone server (NEXT_OUTPUT=standalone); `next start` serves the rest.
const nextConfig: NextConfig = {
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
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
