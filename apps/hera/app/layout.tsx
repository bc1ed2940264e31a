import type { Metadata } from "next";
import type { CSSProperties, ReactNode } from "react";
import { startupConfig } from "@olympus/runtime-config/config";
import "./globals.css";

// The domain is runtime configuration: never prerender with build-time env.
export const dynamic = "force-dynamic";

export function generateMetadata(): Metadata {
  const { branding, domain } = startupConfig();
  const suffix = `${branding.productName} (${domain.toUpperCase()})`;
  return {
    title: { default: `Sign in · ${suffix}`, template: `%s · ${suffix}` },
    icons: { icon: branding.logoPath },
    robots: { index: false, follow: false },
  };
}

export default function RootLayout({ children }: { children: ReactNode }) {
  const { branding, domain } = startupConfig();
  // On <html>, so both our Tailwind theme and Ory Elements' variables inherit it.
  const brandStyle = { "--brand-primary": branding.primaryColor, "--brand-accent": branding.accentColor } as CSSProperties;
  return (
    <html lang="en" data-domain={domain} style={brandStyle}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
