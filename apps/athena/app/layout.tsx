import type { Metadata } from "next";
import type { CSSProperties, ReactNode } from "react";
import { athenaConfig } from "@/shared/server/config";
import "./globals.css";

// The domain is runtime configuration: never prerender with build-time env.
export const dynamic = "force-dynamic";

export function generateMetadata(): Metadata {
  const { branding, domain } = athenaConfig();
  // Every tab names its domain, so CIAM and IAM are never mistaken for each other.
  return {
    title: { default: `Admin · ${branding.productName} (${domain.toUpperCase()})`, template: `%s · Athena (${domain.toUpperCase()})` },
  };
}

export default function RootLayout({ children }: { children: ReactNode }) {
  const { branding, domain } = athenaConfig();
  const brandStyle = { "--brand-primary": branding.primaryColor, "--brand-accent": branding.accentColor } as CSSProperties;
  return (
    <html lang="en" data-domain={domain}>
      <body style={brandStyle} className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {children}
      </body>
    </html>
  );
}
