"use client";

import { Button, ErrorNotice } from "@/shared/ui/primitives";

/** Pages outside the admin area (sign-in): a retry, never the error itself; the server log has the details. */
export default function RootError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 p-8">
      <ErrorNotice title="This page could not be shown">
        Nothing about the cause is sent to the browser; the server log has the details.
      </ErrorNotice>
      <div>
        <Button onClick={reset}>Try again</Button>
      </div>
    </main>
  );
}
