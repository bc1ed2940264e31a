import type { Session } from "@olympus/ory-client/kratos";
import { browserCookie } from "@/lib/server/cookies";
import { kratos } from "@/lib/server/ory";
import { revokeOtherSessions, revokeSession } from "./actions";

function describe(session: Session): string {
  const device = session.devices?.[0];
  const agent = device?.user_agent ? browserName(device.user_agent) : "Unknown device";
  return device?.ip_address ? `${agent} · ${device.ip_address}` : agent;
}

/** A readable browser name from a user agent, enough to recognise one's own devices. */
function browserName(userAgent: string): string {
  const match = /(Firefox|Edg|Chrome|Chromium|Safari)\/[\d.]+/.exec(userAgent);
  const name = match?.[1] === "Edg" ? "Edge" : (match?.[1] ?? "Browser");
  const os = /Windows|Mac OS X|Android|iPhone|Linux/.exec(userAgent)?.[0]?.replace("Mac OS X", "macOS") ?? "";
  return os ? `${name} on ${os}` : name;
}

function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC" : "unknown";
}

/** Active sessions: this one, and the others with a way to end them. */
export async function SessionsPanel({ current }: { current: Session | undefined }) {
  const others = await kratos().listMySessions(await browserCookie());
  return (
    <section
      aria-labelledby="sessions-title"
      data-testid="sessions"
      className="w-full max-w-[480px] rounded-xl border border-slate-200 bg-white p-8 shadow-sm sm:max-w-[480px]"
    >
      <h2 id="sessions-title" className="text-lg font-semibold">
        Active sessions
      </h2>
      <ul className="mt-4 flex flex-col gap-3">
        {current ? (
          <li className="rounded-lg border border-slate-200 p-3" data-testid="session-current">
            <p className="font-medium">{describe(current)}</p>
            <p className="text-sm text-slate-600">This device · signed in {when(current.authenticated_at)}</p>
          </li>
        ) : null}
        {others.map((session) => (
          <li
            key={session.id}
            className="flex items-center justify-between gap-3 rounded-lg border border-slate-200 p-3"
            data-testid="session-other"
          >
            <div>
              <p className="font-medium">{describe(session)}</p>
              <p className="text-sm text-slate-600">Signed in {when(session.authenticated_at)}</p>
            </div>
            <form action={revokeSession}>
              <input type="hidden" name="session" value={session.id} />
              <button type="submit" className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-semibold hover:bg-slate-50">
                Sign out
              </button>
            </form>
          </li>
        ))}
      </ul>
      {others.length > 0 ? (
        <form action={revokeOtherSessions} className="mt-4">
          <button
            type="submit"
            className="rounded-lg bg-brand px-4 py-2 text-sm font-semibold text-white hover:opacity-90"
            data-testid="revoke-others"
          >
            Sign out all other sessions
          </button>
        </form>
      ) : (
        <p className="mt-4 text-sm text-slate-600">You are not signed in anywhere else.</p>
      )}
    </section>
  );
}
