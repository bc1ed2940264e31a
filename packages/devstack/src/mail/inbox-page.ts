/**
 * The inbox page at `/`: the list of caught mail (newest first, refreshed
 * every two seconds), and the selected mail's headers, HTML (in a sandboxed
 * frame: no scripts run), text and source. One static page over the REST
 * API, so the catcher carries no web framework.
 */
export const INBOX_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Olympus dev inbox</title>
<style>
  :root { color-scheme: light dark; font: 14px/1.4 system-ui, sans-serif; }
  body { margin: 0; display: grid; grid-template-columns: minmax(16rem, 26rem) 1fr; height: 100vh; }
  header { grid-column: 1 / -1; display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; border-bottom: 1px solid #8884; }
  header h1 { font-size: 1rem; margin: 0; flex: 1; }
  button { font: inherit; cursor: pointer; }
  #list { overflow: auto; border-right: 1px solid #8884; margin: 0; padding: 0; list-style: none; }
  #list li { padding: .5rem 1rem; border-bottom: 1px solid #8882; cursor: pointer; }
  #list li[aria-selected="true"] { background: #4a90e233; }
  #list li.unread .subject { font-weight: 600; }
  #list .meta { color: #888; font-size: .85em; display: flex; justify-content: space-between; gap: .5rem; }
  main { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
  #headers { padding: .5rem 1rem; border-bottom: 1px solid #8884; }
  #headers dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: 0; }
  #headers dt { color: #888; }
  #headers dd { margin: 0; overflow-wrap: anywhere; }
  #tabs { display: flex; gap: .25rem; padding: .25rem 1rem; }
  #tabs button[aria-pressed="true"] { font-weight: 600; }
  #body { flex: 1; min-height: 0; }
  iframe { width: 100%; height: 100%; border: 0; background: #fff; }
  pre { margin: 0; padding: 1rem; white-space: pre-wrap; overflow-wrap: anywhere; overflow: auto; height: 100%; box-sizing: border-box; }
  .empty { padding: 2rem; color: #888; }
</style>
</head>
<body>
<header><h1>Olympus dev inbox <span id="count"></span></h1><button id="delete-one" disabled>Delete</button><button id="delete-all">Delete all</button></header>
<ul id="list" role="listbox" aria-label="Caught mail"></ul>
<main>
  <section id="headers"><p class="empty">No mail selected.</p></section>
  <nav id="tabs" hidden><button data-view="html">HTML</button><button data-view="text">Text</button><button data-view="source">Source</button></nav>
  <section id="body"></section>
</main>
<script>
"use strict";
let mails = [];
let selected = null;
let view = "html";
const $ = (id) => document.getElementById(id);
const text = (tag, value, cls) => { const el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el; };
const who = (list) => (list || []).map((a) => (a.name ? a.name + " <" + a.address + ">" : a.address)).join(", ");

async function refresh() {
  const response = await fetch("/api/email?sort=desc");
  if (!response.ok) return;
  mails = await response.json();
  $("count").textContent = "(" + mails.length + ")";
  const list = $("list");
  list.replaceChildren(...mails.map((mail) => {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", String(mail.id === selected));
    if (!mail.read) li.className = "unread";
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.append(text("span", who(mail.to)), text("span", new Date(mail.time).toLocaleString()));
    li.append(text("div", mail.subject || "(no subject)", "subject"), meta);
    li.addEventListener("click", () => show(mail.id));
    return li;
  }));
  if (mails.length === 0) list.append(text("li", "No mail yet.", "empty"));
  if (selected && !mails.some((m) => m.id === selected)) clear();
}

function clear() {
  selected = null;
  $("headers").replaceChildren(text("p", "No mail selected.", "empty"));
  $("body").replaceChildren();
  $("tabs").hidden = true;
  $("delete-one").disabled = true;
}

async function show(id) {
  const response = await fetch("/api/email/" + encodeURIComponent(id));
  if (!response.ok) return clear();
  const mail = await response.json();
  selected = id;
  const dl = document.createElement("dl");
  for (const [label, value] of [["Subject", mail.subject], ["From", who(mail.from)], ["To", who(mail.to)], ["Cc", who(mail.cc)], ["Date", new Date(mail.date || mail.time).toLocaleString()]]) {
    if (value) dl.append(text("dt", label), text("dd", value));
  }
  $("headers").replaceChildren(dl);
  $("tabs").hidden = false;
  $("delete-one").disabled = false;
  if (view === "html" && mail.html === undefined) view = "text";
  await render(mail);
  void refresh();
}

async function render(mail) {
  for (const button of $("tabs").querySelectorAll("button")) button.setAttribute("aria-pressed", String(button.dataset.view === view));
  const body = $("body");
  if (view === "html" && mail.html !== undefined) {
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "");
    frame.title = "Mail content";
    frame.src = "/api/email/" + encodeURIComponent(mail.id) + "/html";
    body.replaceChildren(frame);
  } else if (view === "source") {
    const response = await fetch("/api/email/" + encodeURIComponent(mail.id) + "/source");
    body.replaceChildren(text("pre", response.ok ? await response.text() : "(source not available)"));
  } else {
    body.replaceChildren(text("pre", mail.text || "(no text part)"));
  }
}

for (const button of document.querySelectorAll("#tabs button")) {
  button.addEventListener("click", async () => {
    view = button.dataset.view;
    const mail = mails.find((m) => m.id === selected);
    if (mail) await render(await (await fetch("/api/email/" + encodeURIComponent(mail.id))).json());
  });
}
$("delete-one").addEventListener("click", async () => {
  if (!selected) return;
  await fetch("/api/email/" + encodeURIComponent(selected), { method: "DELETE" });
  clear();
  void refresh();
});
$("delete-all").addEventListener("click", async () => {
  if (!confirm("Delete every caught mail?")) return;
  await fetch("/api/email/all", { method: "DELETE" });
  clear();
  void refresh();
});
void refresh();
setInterval(() => void refresh(), 2000);
</script>
</body>
</html>
`;
