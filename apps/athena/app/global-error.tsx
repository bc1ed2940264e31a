"use client";

/**
 * Last resort when the root layout itself fails: it replaces the whole
 * document, so it brings its own <html> and no styles. Never the error
 * itself (production hides the message; we never print it, in any mode).
 */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: "32rem", margin: "4rem auto", padding: "0 1rem" }}>
        <h1>Athena could not be shown</h1>
        <p>Nothing about the cause is sent to the browser; the server log has the details.</p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
