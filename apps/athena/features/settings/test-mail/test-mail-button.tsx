"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/shared/ui/primitives";
import { sendSmtpTestMail } from "./actions";

/**
 * Sends a test mail with the stored SMTP settings to the signed-in admin.
 * The outcome stays on the page (a live region) as well as in the toast, so
 * a screen reader hears it and an error can be read at leisure.
 */
export function TestMailButton({ canWrite, adminEmail }: { canWrite: boolean; adminEmail: string | null }) {
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  const [pending, startTransition] = useTransition();
  const send = () =>
    startTransition(async () => {
      setOutcome(undefined);
      try {
        const result = await sendSmtpTestMail({});
        const next = result.ok ? { ok: true, text: result.message ?? "Test mail sent." } : { ok: false, text: result.error.message };
        setOutcome(next);
        (next.ok ? toast.success : toast.error)(next.text);
      } catch {
        setOutcome({ ok: false, text: "The request did not reach the server. Check your connection and try again." });
      }
    });
  return (
    <div className="mt-3 flex flex-col gap-2 border-t border-slate-100 pt-3 text-sm">
      <div>
        <Button disabled={!canWrite || !adminEmail || pending} onClick={send} data-testid="smtp-test-mail">
          {pending ? "Sending…" : "Send test mail"}
        </Button>
      </div>
      <p className="text-xs text-slate-500">
        Uses the saved settings and sends to {adminEmail ?? "your address"}; at most one every 10 seconds.
      </p>
      <p role="status" aria-live="polite" data-testid="smtp-test-mail-outcome" className={outcome?.ok ? "text-green-800" : "text-red-700"}>
        {!pending && outcome?.text}
      </p>
    </div>
  );
}
