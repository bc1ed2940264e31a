"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/shared/server/action-result";

/**
 * Runs a server action from a client component: pending state, a toast for
 * the outcome (the server's message on error; a warning when a batch was
 * only partly done), and a refresh of the server components so lists show
 * the change. With `inlineFieldErrors`, an error that names form fields is
 * left to the form (onError) to show beside them, without a toast.
 */
export function useServerAction<I, T>(
  action: (input: I) => Promise<ActionResult<T>>,
  options: {
    success?: string;
    onSuccess?: (data: T) => void;
    onError?: (fields: Record<string, string> | undefined) => void;
    refresh?: boolean;
    inlineFieldErrors?: boolean;
  } = {},
) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const run = (input: I) =>
    startTransition(async () => {
      try {
        const result = await action(input);
        if (result.ok) {
          (result.warning ? toast.warning : toast.success)(result.message ?? options.success ?? "Done");
          options.onSuccess?.(result.data);
          if (options.refresh !== false) router.refresh();
        } else {
          const inline = options.inlineFieldErrors && Object.keys(result.error.fields ?? {}).length > 0;
          if (!inline) toast.error(result.error.message);
          options.onError?.(result.error.fields);
        }
      } catch {
        toast.error("The request did not reach the server. Check your connection and try again.");
      }
    });
  return { run, pending };
}
