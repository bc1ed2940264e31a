import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../../testing/harness";
import { Database } from "../../storage/database";
import { coreMigrations, migrate } from "../../storage/migrate";
import { JsonText, stringifyJson } from "../../http/json-text";
import { contextObject, messages } from "../../ui/messages";
import { UiContainer } from "../../ui/container";
import { FlowRepository } from "./repository";
import type { Flow } from "./flow";

/**
 * A stored flow's UI texts read back as Kratos reads them: text.Message's
 * Context is a json.RawMessage scanned from the `ui` jsonb column
 * (ui/container/container.go Container.Scan → sqlxx.JSONScan), so an answer
 * shows jsonb's text of each context — keys by length then bytes, numbers as
 * numeric writes them — wherever the text sits in the container.
 */
describe("stored flow UI texts' context (text.Message.Context as jsonb's text)", () => {
  let pg: TestPostgres;
  let db: Database;
  let flows: FlowRepository;

  beforeAll(async () => {
    pg = await startTestPostgres();
    db = new Database(await pg.createDatabase("ciam_stored_ui_texts"));
    await migrate(db, coreMigrations());
    flows = new FlowRepository(db);
  });
  afterAll(async () => {
    await db?.close();
    await pg?.stop();
  });

  async function insertRow(ui: string): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO selfservice_flows (id, kind, type, state, ui, request_url, return_to, active_method, csrf_token, identity_id, session_id,
         requested_aal, refresh, internal_context, extra, issued_at, expires_at, created_at, updated_at)
       VALUES ($1, 'login', 'api', 'choose_method', $2, 'http://localhost/', NULL, NULL, '', NULL, NULL, NULL, false, '{}', '{}',
         now(), now() + interval '1 hour', now(), now())`,
      [id, ui],
    );
    return id;
  }

  async function read(id: string): Promise<Flow> {
    const flow = await flows.get("login", id);
    if (!flow) throw new Error("flow not found");
    return flow;
  }

  const storedUi = async (id: string) =>
    (await db.query<{ ui: string }>("SELECT ui::text AS ui FROM selfservice_flows WHERE id = $1", [id])).rows[0]?.ui;

  const hookContext = '{"10": 1, "b": 2.50, "a": [1e2, -0.0, 1e-7], "<": "\\u00e9"}';
  const shown = '{"<":"é","a":[100,0.0,0.0000001],"b":2.50,"10":1}';

  it("answers each context as jsonb's text, in every place a text.Message sits", async () => {
    const text = (id: number, context: string) => `{"id": ${id}, "text": "t", "type": "info", "context": ${context}}`;
    const ui = `{"action": "http://localhost/", "method": "POST", "messages": [${text(1, hookContext)}, {"id": 2, "text": "none", "type": "info"}],
      "nodes": [
        {"type": "input", "group": "default", "attributes": {"name": "a", "type": "text", "node_type": "input", "label": ${text(3, '{"20": 2, "x": 1.0}')}},
         "messages": [${text(4, "null")}, ${text(5, "[2.50]")}], "meta": {"label": ${text(6, '"s"')}}},
        {"type": "a", "group": "default", "attributes": {"href": "h", "id": "a", "node_type": "a", "title": ${text(7, "1.50e1")}}, "messages": [], "meta": {}},
        {"type": "text", "group": "default", "attributes": {"id": "t", "node_type": "text", "text": ${text(8, '{"secret": "s", "n": 12345678901234567890}')}},
         "messages": [], "meta": {}}]}`;
    const id = await insertRow(ui);
    const answer = stringifyJson((await read(id)).ui.toJSON());

    const shownText = (n: number, context: string) => `{"id":${n},"text":"t","type":"info","context":${context}}`;
    // Go's encoder adds its HTML escapes to the kept text.
    expect(answer).toContain(shownText(1, shown.replace("<", "\\u003c")));
    expect(answer).toContain('{"id":2,"text":"none","type":"info"}');
    expect(answer).toContain(shownText(3, '{"x":1.0,"20":2}'));
    expect(answer).toContain(shownText(4, "null"));
    expect(answer).toContain(shownText(5, "[2.50]"));
    expect(answer).toContain(shownText(6, '"s"'));
    expect(answer).toContain(shownText(7, "15.0"));
    expect(answer).toContain(shownText(8, '{"n":12345678901234567890,"secret":"s"}'));
  });

  it("a Kratos text's own numbers read back as numeric's text (Go writes 1e-7 and 1e+21, jsonb stores 0.0000001 and 1000000000000000000000)", async () => {
    const ui = new UiContainer("http://localhost/");
    ui.addMessage(messages.minimum(1e-7, 1e21));
    const id = await insertRow(JSON.stringify(ui.toJSON()));
    expect(stringifyJson((await read(id)).ui.toJSON())).toContain('"context":{"actual":1000000000000000000000,"minimum":0.0000001}');
  });

  it("saving a flow read back stores the same contexts (numbers keep their text)", async () => {
    const id = await insertRow(
      `{"action": "http://localhost/", "method": "POST", "nodes": [], "messages": [{"id": 1, "text": "t", "type": "info", "context": ${hookContext}}]}`,
    );
    const before = await storedUi(id);
    await flows.save(await read(id));
    expect(await storedUi(id)).toBe(before);
    expect(stringifyJson((await read(id)).ui.toJSON())).toContain(shown.replace("<", "\\u003c"));
  });

  it("a context JavaScript answers the same way stays the plain value code reads (contextObject) and copies (structuredClone)", async () => {
    const ui = new UiContainer("http://localhost/");
    ui.addMessage(messages.labelGenerated("Title", "name"));
    const id = await insertRow(JSON.stringify(ui.toJSON()));
    const flow = await read(id);
    const [message] = flow.ui.messages;
    expect(contextObject(message)).toEqual({ name: "name", title: "Title" });
    expect(message?.context).not.toBeInstanceOf(JsonText);
    expect(stringifyJson(structuredClone(flow.ui.toJSON()))).toContain('"context":{"name":"name","title":"Title"}');
  });
});
