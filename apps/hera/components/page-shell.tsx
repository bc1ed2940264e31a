import type { ReactNode } from "react";
import { startupConfig } from "@olympus/runtime-config/config";

/**
 * The frame around every Hera page: who is asking (product, logo), which side
 * of Olympus this is, and where to get help. IAM pages say plainly that they
 * are for employees, so nobody mistakes one sign-in for the other.
 */
export function PageShell({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const { domain, branding } = startupConfig();
  const employees = domain === "iam";
  return (
    <div className="flex min-h-screen flex-col">
      <header className={employees ? "bg-slate-900 text-white" : "border-b border-slate-200 bg-white"}>
        <div className="mx-auto flex max-w-3xl items-center gap-3 px-6 py-3">
          {/* eslint-disable-next-line @next/next/no-img-element -- the logo path is runtime config, not a build-time asset */}
          <img src={branding.logoPath} alt="" width={32} height={32} />
          <span className="font-semibold" data-testid="product-name">
            {branding.productName}
          </span>
          <span
            data-testid="domain-badge"
            className={`ml-auto rounded-full px-3 py-0.5 text-xs font-semibold uppercase tracking-wide ${
              employees ? "bg-brand-accent text-slate-900" : "bg-brand text-white"
            }`}
          >
            {employees ? "Employees only" : "Customer account"}
          </span>
        </div>
      </header>
      <main id="main" className={`mx-auto flex w-full flex-1 flex-col items-center gap-6 px-4 py-10 ${wide ? "max-w-3xl" : "max-w-lg"}`}>
        {children}
      </main>
      <footer className="py-6 text-center text-sm text-slate-600">
        Need help?{" "}
        <a className="font-medium text-brand underline" href={branding.supportUrl}>
          Contact {employees ? "the IT helpdesk" : "support"}
        </a>
      </footer>
    </div>
  );
}
