import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/shared/auth/options";
import { withAuthRouteErrors } from "@/shared/auth/next-auth-route";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ nextauth: string[] }> };

// Built per request so the options come from the runtime config, not the build.
const handler = withAuthRouteErrors((request: NextRequest, context: Context) => NextAuth(request, context, authOptions()));

export { handler as GET, handler as POST };
