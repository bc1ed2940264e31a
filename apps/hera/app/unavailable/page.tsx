import type { Metadata } from "next";
import { Unavailable } from "@/components/unavailable";
import { sameOriginPath } from "@olympus/web-security";
import { one } from "@/lib/search-params";

export const metadata: Metadata = { title: "Temporarily unavailable" };

/** Where a route handler sends the browser when Kratos or Hydra is down. */
export default async function UnavailablePage({ searchParams }: PageProps<"/unavailable">) {
  // Only a path on this site: never an open redirect (`/\evil.example`, `/%09/evil.example`, …).
  return <Unavailable retryHref={sameOriginPath(one(await searchParams, "retry"), "/login")} />;
}
