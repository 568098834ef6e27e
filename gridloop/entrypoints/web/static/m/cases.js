// My cases: the open ones sorted by their running deadline with a countdown, then recent closures.
import { fmtTime, t } from "/static/app/i18n.js";
import { activeDue, dueHtml } from "./clock.js";
import { fetchKept, me, workerId } from "./store.js";
import { categoryName, esc, stateName } from "./strings.js";
import { show, staleNote } from "./ui.js";

function byDeadline(a, b) {
  const da = activeDue(a)?.at ?? Infinity, db = activeDue(b)?.at ?? Infinity;
  return da - db || String(a.case_id).localeCompare(String(b.case_id));
}

function card(doc) {
  return `<li><a class="card" href="#/case/${encodeURIComponent(doc.case_id)}" data-case="${esc(doc.case_id)}">
    <span class="card-top"><strong>${esc(categoryName(doc))}</strong>
      <span class="badge state-${esc(doc.state)}">${esc(stateName(doc))}</span></span>
    <span class="desc">${esc(doc.description || doc.building_code || doc.case_id)}</span>
    <span class="card-bottom">${dueHtml(doc)}<span class="muted">${esc(doc.case_id)}</span></span>
  </a></li>`;
}

function list(items, empty) {
  return items.length ? `<ul class="cards">${items.map(card).join("")}</ul>` : `<p class="muted empty">${esc(t(empty))}</p>`;
}

export async function showCases(main, focus) {
  const started = location.hash;
  const who = await me();
  const id = encodeURIComponent(workerId(who));
  const [open, done] = await Promise.all([
    fetchKept(`/api/v1/cases?assignee=${id}&open=true&sort=handle_due&limit=200`, "open"),
    fetchKept(`/api/v1/cases?assignee=${id}&state=closed&sort=updated_at&order=desc&limit=10`, "done"),
  ]);
  staleNote(open.stale ? open : done.stale ? done : null);
  const todo = [...open.data.items].sort(byDeadline);
  if (!show(main, `
    <section aria-labelledby="todo-h">
      <div class="row"><h2 id="todo-h">${esc(t("m.todo"))} <span class="count">${todo.length}</span></h2>
        <button type="button" class="secondary" id="refresh">${esc(t("m.refresh"))}</button></div>
      ${list(todo, "m.none")}
      <p class="muted small">${esc(t("m.updated", { time: fmtTime(open.at) }))}</p>
    </section>
    <section aria-labelledby="done-h">
      <h2 id="done-h" class="sub">${esc(t("m.done"))}</h2>
      ${list(done.data.items, "m.none_done")}
    </section>`, focus, started)) return;
  main.querySelector("#refresh").addEventListener("click", () =>
    showCases(main, false).then(() => main.querySelector("#refresh")?.focus()));
}
