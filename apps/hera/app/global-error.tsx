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
        <h1>Something went wrong</h1>
        <p>Please try again. If it keeps happening, contact support.</p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
