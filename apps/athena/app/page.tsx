import { startupConfig } from "@olympus/sdk/config";

export default function HomePage() {
  const { branding, domain } = startupConfig();
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-6 p-8">
      <header className="flex items-center gap-4">
        {/* eslint-disable-next-line @next/next/no-img-element -- the logo path is runtime config, not a build-time asset */}
        <img src={branding.logoPath} alt="" width={48} height={48} />
        <div>
          <p className="text-sm font-medium uppercase tracking-wide text-brand">athena</p>
          <h1 className="text-3xl font-semibold">{branding.productName}</h1>
        </div>
      </header>
      <p data-testid="domain" className="w-fit rounded-full bg-brand px-4 py-1 text-sm font-semibold text-white">
        Serving the {domain.toUpperCase()} domain
      </p>
      <p className="text-slate-600">The admin dashboard for this domain arrives with the Athena issue. Employees sign in through IAM.</p>
    </main>
  );
}
