import { createHash } from "node:crypto";
import type { Router } from "../../../http/router";

/**
 * The browser helper Kratos serves at /.well-known/ory/webauthn.js and
 * references from a `script` node. UIs call the functions the nodes'
 * `onclickTrigger`/`onloadTrigger` name: `oryWebAuthnRegistration` /
 * `oryWebAuthnLogin` with the options JSON or without arguments (then the
 * options are read from the trigger node's value), and `oryPasskeyLogin`,
 * `oryPasskeyLoginAutocompleteInit` (conditional mediation),
 * `oryPasskeyRegistration` (named after the form's display-name field) and
 * `oryPasskeySettingsRegistration`, which read `passkey_challenge` /
 * `passkey_create_data`. Each runs navigator.credentials.create/get, writes
 * the JSON result into the hidden input that carries it and submits its
 * form. Written for this server; not Ory's file.
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

  // Passkeys: the options are read from the passkey nodes, the answer goes to the hidden input that names it.
  function field(name) { return document.getElementsByName(name)[0]; }
  function creationAnswer(credential) {
    return {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: encode(credential.response.attestationObject),
        clientDataJSON: encode(credential.response.clientDataJSON)
      }
    };
  }
  function assertionAnswer(credential) {
    return {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: encode(credential.response.authenticatorData),
        clientDataJSON: encode(credential.response.clientDataJSON),
        signature: encode(credential.response.signature),
        userHandle: encode(credential.response.userHandle)
      }
    };
  }
  function answerWith(resultEl, value) {
    resultEl.value = JSON.stringify(value);
    resultEl.closest("form").submit();
  }
  function creationOptions(opts) {
    var pk = opts.publicKey;
    pk.challenge = decode(pk.challenge);
    pk.user.id = decode(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return opts;
  }
  function requestOptions(json) {
    var opts = JSON.parse(json);
    opts.publicKey.challenge = decode(opts.publicKey.challenge);
    (opts.publicKey.allowCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    return opts;
  }
  var conditional;
  function stopConditional() {
    if (conditional) { conditional.abort("Canceling Passkey autocomplete to complete trigger-based passkey login."); conditional = undefined; }
  }

  function passkeyLoginAutocompleteInit() {
    var dataEl = field("passkey_challenge"), resultEl = field("passkey_login");
    if (!dataEl || !resultEl || !window.PublicKeyCredential || !PublicKeyCredential.isConditionalMediationAvailable) return;
    return PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
      if (!available) return;
      stopConditional();
      conditional = new AbortController();
      var opts = requestOptions(dataEl.value);
      return navigator.credentials.get({ publicKey: opts.publicKey, mediation: "conditional", signal: conditional.signal })
        .then(function (credential) { answerWith(resultEl, assertionAnswer(credential)); })
        .catch(function (err) { console.trace(err); });
    });
  }

  function passkeyLogin() {
    var dataEl = field("passkey_challenge"), resultEl = field("passkey_login");
    if (!dataEl || !resultEl) { console.debug("oryPasskeyLogin: mandatory fields not found"); return; }
    if (!window.PublicKeyCredential) { alert("This browser does not support WebAuthn!"); return; }
    stopConditional();
    var opts = requestOptions(dataEl.value);
    return navigator.credentials.get({ publicKey: opts.publicKey })
      .then(function (credential) { answerWith(resultEl, assertionAnswer(credential)); })
      .catch(function (err) { console.error(err); return passkeyLoginAutocompleteInit(); });
  }

  function passkeyRegistration() {
    var dataEl = field("passkey_create_data"), resultEl = field("passkey_register");
    if (!dataEl || !resultEl) { console.debug("oryPasskeyRegistration: mandatory fields not found"); return; }
    var createData = JSON.parse(dataEl.value);
    var nameEl = dataEl.closest("form").querySelector("[name='" + createData.displayNameFieldName + "']");
    var opts = createData.credentialOptions;
    if (nameEl) { opts.publicKey.user.name = nameEl.value; opts.publicKey.user.displayName = nameEl.value; }
    return navigator.credentials.create(creationOptions(opts))
      .then(function (credential) { answerWith(resultEl, creationAnswer(credential)); })
      .catch(function (err) { console.error(err); });
  }

  function passkeySettingsRegistration() {
    var dataEl = field("passkey_create_data"), resultEl = field("passkey_settings_register");
    if (!dataEl || !resultEl) { console.debug("oryPasskeySettingsRegistration: mandatory fields not found"); return; }
    return navigator.credentials.create(creationOptions(JSON.parse(dataEl.value)))
      .then(function (credential) { answerWith(resultEl, creationAnswer(credential)); })
      .catch(function (err) { console.error(err); });
  }

  window.oryWebAuthnRegistration = registration;
  window.oryWebAuthnLogin = login;
  window.oryPasskeyLogin = passkeyLogin;
  window.oryPasskeyLoginAutocompleteInit = passkeyLoginAutocompleteInit;
  window.oryPasskeyRegistration = passkeyRegistration;
  window.oryPasskeySettingsRegistration = passkeySettingsRegistration;
  window.__oryWebAuthnInitialized = true;
  window.dispatchEvent(new Event("oryWebAuthnInitialized"));
})();
`;

/** Subresource-integrity value of the script, as the `script` node's `integrity` attribute. */
export const WEBAUTHN_SCRIPT_INTEGRITY = `sha512-${createHash("sha512").update(WEBAUTHN_SCRIPT).digest("base64")}`;

/**
 * webauthnx.RegisterWebauthnRoute: Kratos serves the script whatever
 * methods are enabled (driver/registry_default.go), for the `webauthn` and
 * `passkey` nodes alike.
 */
export function registerWebAuthnScriptRoute(router: Router): void {
  router.get(`/${WEBAUTHN_SCRIPT_PATH}`, (ctx) => ctx.text(200, WEBAUTHN_SCRIPT, "text/javascript; charset=UTF-8"));
}
