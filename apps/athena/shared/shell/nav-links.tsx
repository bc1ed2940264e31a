"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Dashboard" },
  { href: "/identities", label: "Identities" },
  { href: "/sessions", label: "Sessions" },
  { href: "/locked-accounts", label: "Locked accounts" },
  { href: "/oauth2-clients", label: "OAuth2 clients" },
  { href: "/m2m-clients", label: "Machine clients" },
  { href: "/consents", label: "Consent sessions" },
  { href: "/schemas", label: "Identity schemas" },
  { href: "/courier", label: "Courier messages" },
  { href: "/settings", label: "Settings" },
  { href: "/audit", label: "Audit log" },
] as const;

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5 text-sm">
      {LINKS.map((link) => {
        const active = link.href === "/" ? pathname === "/" : pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand ${active ? "bg-brand font-semibold text-white" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
