import { createHash } from "node:crypto";

/**
 * The browser helper Kratos serves at /.well-known/ory/webauthn.js and
 * references from a `script` node. UIs call `window.oryWebAuthnRegistration`
 * / `window.oryWebAuthnLogin` (the nodes' `onclickTrigger`), with the options
 * JSON or without arguments (then the options are read from the trigger
 * node's value). The script runs navigator.credentials.create/get, writes the
 * JSON result into the hidden `webauthn_register` / `webauthn_login` input
 * and submits its form. Written for this server; not Ory's file.
 */
export const WEBAUTHN_SCRIPT_PATH = ".well-known/ory/webauthn.js";

export const WEBAUTHN_SCRIPT = `(function () {
  "use strict";
  if (typeof window === "undefined" || window.__oryWebAuthnInitialized) return;

  function decode(value) {
    var s = String(value).replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); });
  }
  function encode(buffer) {
    if (!buffer) return "";
    var bytes = new Uint8Array(buffer), s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  }
  function optionsFrom(options, triggerName) {
    if (options) return typeof options === "string" ? JSON.parse(options) : options;
    var trigger = document.querySelector('[name="' + triggerName + '"]');
    if (!trigger || !trigger.value) throw new Error("WebAuthn options not found on " + triggerName);
    return JSON.parse(trigger.value);
  }
  function submitWith(resultName, triggerName, value) {
    var input = document.querySelector('[name="' + resultName + '"]');
    if (!input) throw new Error("WebAuthn result input " + resultName + " not found");
    input.value = JSON.stringify(value);
    var form = input.closest("form") || (document.querySelector('[name="' + triggerName + '"]') || {}).form;
    if (form) form.submit();
  }

  function registration(options) {
    if (!window.PublicKeyCredential) { alert("This browser does not support WebAuthn!"); return; }
    var opt = optionsFrom(options, "webauthn_register_trigger");
    var pk = opt.publicKey;
    pk.challenge = decode(pk.challenge);
    pk.user.id = decode(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return navigator.credentials.create({ publicKey: pk }).then(function (credential) {
      submitWith("webauthn_register", "webauthn_register_trigger", {
        id: credential.id,
        rawId: encode(credential.rawId),
        type: credential.type,
        response: {
          attestationObject: encode(credential.response.attestationObject),
          clientDataJSON: encode(credential.response.clientDataJSON),
          transports: credential.response.getTransports ? credential.response.getTransports() : []
        },
        clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {}
      });
    }).catch(function (err) { console.error(err); alert(err); });
  }

  function login(options) {
    if (!window.PublicKeyCredential) { alert("This browser does not support WebAuthn!"); return; }
    var opt = optionsFrom(options, "webauthn_login_trigger");
    var pk = opt.publicKey;
    pk.challenge = decode(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return navigator.credentials.get({ publicKey: pk }).then(function (credential) {
      submitWith("webauthn_login", "webauthn_login_trigger", {
        id: credential.id,
        rawId: encode(credential.rawId),
        type: credential.type,
        response: {
          authenticatorData: encode(credential.response.authenticatorData),
          clientDataJSON: encode(credential.response.clientDataJSON),
          signature: encode(credential.response.signature),
          userHandle: encode(credential.response.userHandle)
        },
        clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {}
      });
    }).catch(function (err) { console.error(err); alert(err); });
  }

  window.oryWebAuthnRegistration = registration;
  window.oryWebAuthnLogin = login;
  window.__oryWebAuthnInitialized = true;
  window.dispatchEvent(new Event("oryWebAuthnInitialized"));
})();
`;

/** Subresource-integrity value of the script, as the `script` node's `integrity` attribute. */
export const WEBAUTHN_SCRIPT_INTEGRITY = `sha512-${createHash("sha512").update(WEBAUTHN_SCRIPT).digest("base64")}`;
