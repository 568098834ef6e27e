// Today's KPI tiles.
import { fmtRate } from "/static/app/i18n.js";

const RATES = new Set(["closure_rate", "on_time_closure_rate"]);

export function renderTiles(tiles) {
  for (const el of document.querySelectorAll("#tiles .tile")) {
    const key = el.dataset.key;
    const value = tiles[key];
    el.querySelector("dd").textContent = RATES.has(key) ? fmtRate(value) : String(value ?? "–");
  }
}

/** Count one more warning at once (the next overview confirms it from the server). */
export function bumpWarnings(tiles) {
  tiles.warnings = (tiles.warnings || 0) + 1;
  const el = document.querySelector('#tiles .tile[data-key="warnings"]');
  el.querySelector("dd").textContent = String(tiles.warnings);
  el.classList.remove("flash");
  void el.offsetWidth; // restart the animation
  el.classList.add("flash");
}
