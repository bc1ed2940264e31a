import type { Metadata } from "next";
import { Unavailable } from "@/components/unavailable";
import { one } from "@/lib/search-params";

export const metadata: Metadata = { title: "Temporarily unavailable" };

/** Where a route handler sends the browser when Kratos or Hydra is down. */
export default async function UnavailablePage({ searchParams }: PageProps<"/unavailable">) {
  const retry = one(await searchParams, "retry");
  // Only a path on this site: never an open redirect.
  const safe = retry && retry.startsWith("/") && !retry.startsWith("//") ? retry : "/login";
  return <Unavailable retryHref={safe} />;
}
