import { randomUUID } from "node:crypto";
import { goValuesEncode } from "@olympus/server-kit/go-url";
import { ORY_HTTP_CLIENT, resilientFetch } from "@olympus/server-kit/http";
import { privateIpPolicyOf } from "../clients/private-ip-policy";
import type { Deps } from "../deps";
import { ID_TOKEN_KEY_SET } from "../keys/repository";
import { signJws } from "../tokens/jws";

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

/**
 * Hydra's executeBackChannelLogout (consent/strategy_default.go): a logout
 * token per client — `iss`, `aud` [client id], `iat`, `jti`, the back-channel
 * event and `sid`, no `sub` — signed with the ID token key, posted in the
 * background (30 s), failures logged, the logout not held up.
 */
async function sendLogoutToken(deps: Deps, clientId: string, uri: string, sid: string): Promise<void> {
  const [signer] = (await deps.keys.list(ID_TOKEN_KEY_SET)).filter((key) => key.d !== undefined);
  if (!signer) throw new Error("no ID token signing key");
  const token = signJws(
    { alg: signer.alg, kid: signer.kid, typ: "JWT" },
    { iss: deps.issuer, aud: [clientId], iat: Math.floor(Date.now() / 1000), jti: randomUUID(), events: { [BACKCHANNEL_EVENT]: {} }, sid },
    signer,
  );
  // s.r.HTTPClient(ctx).Do: the resilient client, whose dialler refuses private addresses under
  // clients.http.disallow_private_ip_ranges when the socket connects (so after DNS, on every redirect hop).
  const response = await resilientFetch(
    uri,
    {
      method: "POST",
      headers: new Headers({ "content-type": "application/x-www-form-urlencoded" }),
      body: goValuesEncode(new Map([["logout_token", [token]]])),
    },
    { ...ORY_HTTP_CLIENT, ...privateIpPolicyOf(deps.config) },
  );
  await response.body.cancel();
  if (response.status !== 200 && response.status !== 204)
    throw new Error(`expected HTTP status code 200 or 204 but got ${response.status}`);
}

/**
 * The clients the subject consented to in login session `sid`
 * (listUserAuthenticatedClients) hear that it ended: back-channel logout
 * tokens go out in the background (executeBackChannelLogout); with
 * `frontChannel`, the front-channel logout URLs
 * (generateFrontChannelLogoutURLs: the client's URI with `iss` and `sid`)
 * are returned for the browser to load.
 */
export async function notifyClients(deps: Deps, subject: string, sid: string, options: { frontChannel: boolean }): Promise<string[]> {
  const frontChannel: string[] = [];
  for (const clientId of await deps.sessions.clientsOfLoginSession(subject, sid)) {
    const client = await deps.clients.get(clientId);
    if (!client) continue;
    const { backchannel_logout_uri: backchannel, frontchannel_logout_uri: frontchannel } = client.data;
    if (backchannel) {
      void sendLogoutToken(deps, clientId, backchannel, sid).catch((error: unknown) =>
        deps.logger.log("warn", "back-channel logout delivery failed", {
          client_id: clientId,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }
    if (frontchannel && options.frontChannel) {
      const url = new URL(frontchannel);
      url.searchParams.set("iss", deps.issuer);
      url.searchParams.set("sid", sid);
      frontChannel.push(url.toString());
    }
  }
  return frontChannel;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Hydra's front-channel logout page (oauth2/handler.go performOidcFrontOrBackChannelLogout): one iframe per client, then on to the redirect. */
export function frontChannelPage(urls: string[], redirectTo: string): string {
  const target = escapeHtml(redirectTo);
  return `<html>
<head>
    <meta http-equiv="refresh" content="7; URL=${target}">
</head>
<style type="text/css">
    iframe { position: absolute; left: 0; top: 0; height: 0; width: 0; border: none; }
</style>
<script>
    var total = ${urls.length};
    var redir = ${JSON.stringify(redirectTo).replace(/</g, "\\u003c")};

	var timeouts = [];
	var redirected = false;
	window.onbeforeunload = () => {
		redirected = true;
		for (var i=0; i<timeouts.length; i++) {
			clearTimeout(timeouts[i]);
		}
		timeouts = [];
	};
	function setAndRegisterTimeout(fct, duration) {
		if (redirected) {
			return;
		}
		timeouts.push(setTimeout(fct, duration));
	}

	function redirect() {
		window.location.replace(redir);
		setAndRegisterTimeout(function () {
			window.location.href = redir;
		}, 250);
	}

    function done() {
        total--;
        if (total < 1) {
			setAndRegisterTimeout(redirect, 500);
        }
    }

	setAndRegisterTimeout(redirect, 7000);

	setTimeout(function () {
		document.getElementById("redir").style.display = "block";
	}, 2000);
</script>
<body>
<noscript>
    <p>
        JavaScript is disabled - you should be redirected in 5 seconds but if not, click <a
            href="${target}">here</a> to continue.
    </p>
</noscript>

<p id="redir" style="display: none">
    Redirection takes unusually long. If you are not being redirected within the next seconds, click <a href="${target}">here</a> to continue.
</p>

${urls.map((url) => `<iframe src="${escapeHtml(url)}" onload="done(this)"></iframe>`).join("\n")}
</body>
</html>`;
}
