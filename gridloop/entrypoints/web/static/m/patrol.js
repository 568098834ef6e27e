// A patrol finding: category, description, the phone's location (or the grid's centre when
// location is refused or unavailable), an optional photo; dispatched to the reporting worker.
import { api } from "/static/app/api.js";
import { lang, t } from "/static/app/i18n.js";
import { interiorPoint, outerRing } from "./map.js";
import { PhotoField } from "./photo.js";
import { grids, labels } from "./store.js";
import { esc } from "./strings.js";
import { show, toast, why } from "./ui.js";

const SEVERITIES = ["minor", "major", "critical"];

function where(place, text, bad = false) {
  place.el.textContent = text;
  place.el.classList.toggle("bad", bad);
}

function locate(place) {
  if (!navigator.geolocation) {
    where(place, t("m.geo.none"), true);
    return;
  }
  where(place, t("m.locating"));
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      place.at = { lon: pos.coords.longitude, lat: pos.coords.latitude };
      const acc = Math.round(pos.coords.accuracy || 0);
      where(place, t("m.located", { lat: place.at.lat.toFixed(5), lon: place.at.lon.toFixed(5), acc }));
    },
    (error) => {
      place.at = null;
      where(place, t(error.code === error.PERMISSION_DENIED ? "m.geo.denied" : "m.geo.failed"), true);
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

export async function showPatrol(main, focus) {
  const started = location.hash;
  const [names, areas] = await Promise.all([labels(), grids()]);
  const photo = new PhotoField("photo-patrol");
  const name = (row) => (lang() === "en" ? row.en : row.zh);
  const features = areas.features;
  if (!show(main, `
    <h2 id="patrol-h">${esc(t("m.patrol"))}</h2>
    <form id="patrol" class="stack" novalidate>
      <label for="p-category">${esc(t("m.category"))}</label>
      <select id="p-category" required>
        ${names.categories.map((c) => `<option value="${esc(c.code)}">${esc(name(c))}</option>`).join("")}
      </select>
      <label for="p-severity">${esc(t("m.severity"))}</label>
      <select id="p-severity">
        ${SEVERITIES.map((s) => `<option value="${s}">${esc(t(`m.sev.${s}`))}</option>`).join("")}
      </select>
      <label for="p-description">${esc(t("m.description"))}</label>
      <textarea id="p-description" rows="3" maxlength="2000" required></textarea>
      <fieldset class="stack">
        <legend>${esc(t("m.location"))}</legend>
        <p id="p-where" role="status" aria-live="polite">${esc(t("m.unlocated"))}</p>
        <button type="button" class="big" id="p-locate">${esc(t("m.locate"))}</button>
        <div class="centre">
          ${features.length > 1 ? `<label for="p-grid">${esc(t("m.centre.grid"))}</label>
            <select id="p-grid">${features.map((f) => `<option value="${esc(f.id)}">${esc(f.properties.name || f.id)}</option>`).join("")}</select>` : ""}
          <button type="button" class="secondary big" id="p-centre"${features.length ? "" : " disabled"}>${esc(t("m.centre"))}</button>
        </div>
      </fieldset>
      ${photo.html()}
      <p class="muted small">${esc(t("m.patrol.photo"))}</p>
      <button type="submit" class="big" id="p-submit">${esc(t("m.patrol.submit"))}</button>
    </form>`, focus, started)) return;
  photo.bind(main);
  const place = { at: null, el: main.querySelector("#p-where") };
  main.querySelector("#p-locate").addEventListener("click", () => locate(place));
  main.querySelector("#p-centre").addEventListener("click", () => {
    const chosen = main.querySelector("#p-grid")?.value ?? features[0].id;
    const grid = features.find((f) => f.id === chosen);
    const [lon, lat] = interiorPoint(outerRing(grid));
    place.at = { lon, lat };
    where(place, t("m.centred", { grid: grid.properties.name || grid.id }));
  });
  main.querySelector("#patrol").addEventListener("submit", (e) => {
    e.preventDefault();
    send(main, place, photo);
  });
  locate(place);
}

async function send(main, place, photo) {
  const form = main.querySelector("#patrol");
  const description = form.querySelector("#p-description");
  if (!description.value.trim()) {
    description.focus();
    form.reportValidity();
    return;
  }
  if (!place.at) {
    where(place, t("m.patrol.need_place"), true);
    main.querySelector("#p-locate").focus();
    return;
  }
  const button = form.querySelector("#p-submit");
  button.disabled = true;
  button.textContent = t("m.busy");
  try {
    const body = {
      category: form.querySelector("#p-category").value,
      severity: form.querySelector("#p-severity").value,
      description: description.value.trim(),
      ...place.at,
    };
    const outcome = await api("/api/v1/cases", { method: "POST", body });
    const caseDoc = outcome.case;
    if (photo.blob && (caseDoc.allowed_actions || []).includes("sign")) {
      const sha = await photo.uploadTo(caseDoc.case_id);
      const note = t("m.patrol");
      await api(`/api/v1/cases/${encodeURIComponent(caseDoc.case_id)}/actions`, {
        method: "POST", body: { action: "sign", note, attachments: [sha] },
      });
    }
    toast(outcome.merged_into ? t("m.patrol.merged", { id: outcome.merged_into }) : t("m.patrol.done", { id: caseDoc.case_id }));
    location.hash = `#/case/${encodeURIComponent(outcome.merged_into || caseDoc.case_id)}`;
  } catch (error) {
    toast(t("m.error", { why: why(error) }), true);
    button.disabled = false;
    button.textContent = t("m.patrol.submit");
  }
}
