/** What the home page shows about a signed-in customer. */
export interface SignedInView {
  email: string | undefined;
  claims: Record<string, unknown>;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values: claims come from the identity provider, traits from the customer. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; background: #f8fafc; color: #0f172a; }
main { max-width: 42rem; margin: 4rem auto; padding: 2rem; background: #fff; border: 1px solid #e2e8f0; border-radius: 0.75rem; }
h1 { margin-top: 0; font-size: 1.5rem; }
.actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; }
.button { display: inline-block; padding: 0.6rem 1.2rem; border-radius: 0.5rem; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; font: inherit; text-decoration: none; cursor: pointer; }
.button.secondary { background: #fff; color: #1d4ed8; }
pre { background: #f1f5f9; padding: 1rem; border-radius: 0.5rem; overflow-x: auto; }
.error { color: #b91c1c; }
`;

/** The Content-Security-Policy that fits these pages: one inline style block, nothing else loads. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Olympus demo</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

/** `/`: sign-up and sign-in for a visitor; email, ID token claims and sign-out for a signed-in customer. */
export function homePage(signedIn: SignedInView | undefined): string {
  if (!signedIn) {
    return layout(
      "Welcome",
      `<h1>Olympus demo shop</h1>
<p data-testid="signed-out">You are not signed in. Customers sign up and in with their Olympus account.</p>
<div class="actions">
<a class="button" href="/signup" data-testid="sign-up">Sign up</a>
<a class="button secondary" href="/signin" data-testid="sign-in">Sign in</a>
</div>`,
    );
  }
  const email = signedIn.email ?? "(no email claim)";
  return layout(
    "Signed in",
    `<h1>Olympus demo shop</h1>
<p>Signed in as <strong data-testid="email">${escapeHtml(email)}</strong></p>
<h2>ID token claims</h2>
<pre data-testid="claims">${escapeHtml(JSON.stringify(signedIn.claims, null, 2))}</pre>
<form method="post" action="/signout" class="actions">
<button class="button" type="submit" data-testid="sign-out">Sign out</button>
</form>`,
  );
}

/** A failure the customer can recover from by starting again; the message is ours, never an upstream's text. */
export function errorPage(title: string, message: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="error" data-testid="error">${escapeHtml(message)}</p>
<div class="actions"><a class="button" href="/">Back to the demo</a></div>`,
  );
}
