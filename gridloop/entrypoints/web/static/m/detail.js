// One case: what and where (a small map), its deadlines and history, and the worker's actions —
// sign, handle with a photo, feedback, and (less often) return or ask for an extension.
import { api } from "/static/app/api.js";
import { fmtTime, t } from "/static/app/i18n.js";
import { dueHtml } from "./clock.js";
import { drawCaseMap } from "./map.js";
import { PhotoField } from "./photo.js";
import { fetchCase, grids } from "./store.js";
import { actionName, categoryName, esc, stateName } from "./strings.js";
import { show, staleNote, toast, why } from "./ui.js";

const MINE = ["sign", "handle", "feedback", "return", "request_extension"];

function facts(doc) {
  const rows = [
    ["m.reported", fmtTime(doc.reported_at)],
    ["m.sign_due", fmtTime(doc.sign_due)],
    ["m.handle_due", fmtTime(doc.handle_due)],
    ["m.grid", doc.grid_code],
    ["m.building", doc.building_code],
  ].filter(([, value]) => value && value !== "–");
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(t(k))}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`;
}

function thumbs(hashes) {
  if (!hashes.length) return "";
  const links = hashes.map((sha, i) => {
    const url = `/api/v1/attachments/${encodeURIComponent(sha)}`;
    const alt = `${t("m.photo.alt")} ${i + 1}`;
    return `<a href="${url}" target="_blank" rel="noopener"><img src="${url}" alt="${esc(alt)}" loading="lazy" width="64" height="64"></a>`;
  });
  return `<span class="thumbs">${links.join("")}</span>`;
}

function history(events) {
  const items = events.map((e) => {
    const note = e.payload?.note || e.payload?.reason || "";
    const until = e.payload?.until ? ` → ${fmtTime(e.payload.until)}` : "";
    return `<li><span class="when">${esc(fmtTime(e.at))}</span> <strong>${esc(actionName(e.action))}${esc(until)}</strong>
      <span class="muted">${esc(e.actor)}</span>${note ? `<br>${esc(note)}` : ""}${thumbs(e.payload?.attachments || [])}</li>`;
  });
  return `<ol class="history">${items.join("")}</ol>`;
}

function noteField(id, labelKey, required = false) {
  return `<label for="${id}">${esc(t(labelKey))}</label>
    <textarea id="${id}" rows="3" maxlength="2000"${required ? " required" : ""}></textarea>`;
}

/** The forms for the actions the worker may take now; photo fields by action. */
function actionForms(doc, photos) {
  const allowed = new Set(doc.allowed_actions || []);
  const main = [], more = [];
  if (allowed.has("sign")) {
    main.push(`<form data-action="sign"><button type="submit" class="big" id="act-sign">${esc(t("m.act.sign"))}</button></form>`);
  }
  for (const action of ["handle", "feedback"]) {
    if (!allowed.has(action)) continue;
    photos[action] = new PhotoField(`photo-${action}`, doc.case_id);
    main.push(`<form data-action="${action}" class="stack">
      ${noteField(`note-${action}`, `m.note.${action}`)}
      ${photos[action].html()}
      <button type="submit" class="big" id="act-${action}">${esc(t(`m.act.${action}`))}</button></form>`);
  }
  if (allowed.has("return")) {
    more.push(`<form data-action="return" class="stack">${noteField("reason-return", "m.reason", true)}
      <button type="submit" class="secondary big" id="act-return">${esc(t("m.act.return"))}</button></form>`);
  }
  if (allowed.has("request_extension")) {
    more.push(`<form data-action="request_extension" class="stack">
      <label for="until">${esc(t("m.until"))}</label><input type="datetime-local" id="until" required>
      ${noteField("reason-request_extension", "m.reason", true)}
      <button type="submit" class="secondary big" id="act-request_extension">${esc(t("m.act.request_extension"))}</button></form>`);
  }
  if (!main.length && !more.length) return `<p class="muted">${esc(t("m.no_actions"))}</p>`;
  const extra = more.length ? `<details class="more"><summary>${esc(t("m.more"))}</summary>${more.join("")}</details>` : "";
  return main.join("") + extra;
}

async function submit(form, doc, photos, main) {
  const action = form.dataset.action;
  const button = form.querySelector("button[type=submit]");
  const body = { action };
  const note = form.querySelector(`#note-${action}`)?.value.trim();
  const reason = form.querySelector(`#reason-${action}`)?.value.trim();
  if (note) body.note = note;
  if (reason) body.reason = reason;
  if (action === "request_extension") body.until = `${form.querySelector("#until").value}:00+08:00`;
  button.disabled = true;
  button.textContent = photos[action]?.busy ? t("m.photo_busy") : t("m.busy");
  try {
    if (photos[action]) body.attachments = await photos[action].attachments();
    await api(`/api/v1/cases/${encodeURIComponent(doc.case_id)}/actions`, { method: "POST", body });
    toast(t(`m.done.${action}`));
    await showCase(main, doc.case_id, "#actions-h");
  } catch (error) {
    toast(t("m.error", { why: why(error) }), true);
    button.disabled = false;
    button.textContent = t(`m.act.${action}`);
  }
}

export async function showCase(main, id, focusSelector = null) {
  const started = location.hash;
  const result = await fetchCase(id);
  const doc = result.data;
  staleNote(result);
  const photos = {};
  const point = doc.lon != null && doc.lat != null ? { lon: doc.lon, lat: doc.lat } : null;
  if (!show(main, `
    <a href="#/" class="back">← ${esc(t("m.back"))}</a>
    <article class="case" aria-labelledby="case-h">
      <h2 id="case-h">${esc(categoryName(doc))}</h2>
      <p class="row"><span class="badge state-${esc(doc.state)}" id="case-state">${esc(stateName(doc))}</span>
        <span class="muted">${esc(t("m.case", { id: doc.case_id }))}</span></p>
      <p class="due-line">${dueHtml(doc)}</p>
      ${doc.description ? `<p class="desc-full">${esc(doc.description)}</p>` : ""}
      <div id="map" class="map" role="img" aria-label="${esc(t("m.map"))}">${point ? "" : esc(t("m.no_place"))}</div>
      ${facts(doc)}
      <section aria-labelledby="actions-h" class="actions">
        <h3 id="actions-h" tabindex="-1">${esc(t("m.actions"))}</h3>
        ${actionForms(doc, photos)}
      </section>
      <section aria-labelledby="history-h">
        <h3 id="history-h">${esc(t("m.history"))}</h3>
        ${history(doc.history || [])}
      </section>
    </article>`, !focusSelector, started)) return;
  if (focusSelector) main.querySelector(focusSelector)?.focus();
  for (const field of Object.values(photos)) field.bind(main);
  for (const form of main.querySelectorAll("form[data-action]")) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      submit(form, doc, photos, main);
    });
  }
  const mapEl = main.querySelector("#map");
  if (point || doc.grid_code) {
    grids()
      .then((all) => all.features.find((f) => f.id === doc.grid_code || f.properties?.code === doc.grid_code))
      .catch(() => null)
      .then((grid) => (point || grid) && mapEl.isConnected && drawCaseMap(mapEl, point, grid))
      .catch(() => {}); // no map offline without Leaflet cached: the facts still say where
  }
}
