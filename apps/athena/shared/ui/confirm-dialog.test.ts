import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConfirmDialog } from "./confirm-dialog";

describe("ConfirmDialog", () => {
  it("server-renders its trigger disabled: the dialog opens from a handler that exists only once hydrated", () => {
    // A click on the server-rendered trigger before hydration did nothing, and
    // the e2e journey that removes an authenticator app timed out on it once.
    const html = renderToString(
      createElement(ConfirmDialog, { trigger: "Remove", title: "Remove it?", confirmLabel: "Remove", onConfirm: () => {} }),
    );
    const trigger = /<button[^>]*>Remove<\/button>/.exec(html)?.[0];
    expect(trigger).toBeDefined();
    expect(trigger).toMatch(/\sdisabled=""/);
    // Not the admin-role tooltip: the trigger is only waiting for JavaScript.
    expect(trigger).not.toMatch(/title=/);
  });
});
