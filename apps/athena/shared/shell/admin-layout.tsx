import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { SessionKeepAlive } from "./session-keep-alive";
import { NavLinks } from "./nav-links";
import { currentSession, requireAdminPage } from "@/shared/auth/session";
import { signOut } from "@/shared/auth/sign-out";
import { athenaConfig } from "@/shared/server/config";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const admin = await requireAdminPage("viewer");
  const unverified = (await currentSession()).status === "unverified";
  const { branding, domain } = athenaConfig();
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white p-4">
        <div className="flex items-center gap-3">
          {/* eslint-disable-next-line @next/next/no-img-element -- the logo path is runtime config */}
          <img src={branding.logoPath} alt="" width={32} height={32} />
          <div className="leading-tight">
            <p className="text-xs font-medium uppercase tracking-wide text-brand">Athena</p>
            <p className="font-semibold">{branding.productName}</p>
          </div>
        </div>
        <p data-testid="domain" className="w-fit rounded-full bg-brand px-3 py-0.5 text-xs font-semibold text-white">
          {domain.toUpperCase()} domain
        </p>
        <NavLinks />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-4 border-b border-slate-200 bg-white px-6 py-3 text-sm">
          <span data-testid="signed-in-as" className="text-slate-700">
            {admin.email ?? admin.id}
          </span>
          <span
            data-testid="role"
            className={`rounded-full px-2 py-0.5 text-xs font-semibold ${admin.role === "admin" ? "bg-emerald-100 text-emerald-800" : "bg-slate-200 text-slate-700"}`}
          >
            {admin.role}
          </span>
          <form action={signOut}>
            <button
              type="submit"
              className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand"
            >
              Sign out
            </button>
          </form>
        </header>
        {unverified && (
          <p
            role="status"
            data-testid="session-unverified"
            className="border-b border-amber-200 bg-amber-50 px-6 py-2 text-sm text-amber-900"
          >
            Olympus Workforce (IAM) cannot be reached to re-check your session. You can keep reading for a few minutes; changes are paused
            until it is back.
          </p>
        )}
        <main className="min-w-0 flex-1 p-6">{children}</main>
      </div>
      <SessionKeepAlive />
      <Toaster position="bottom-right" richColors closeButton />
    </div>
  );
}
