// The command center: the grids and today's figures first (time to interactive), then the
// charts, the dispatcher's desk and the live alerts.
import "./strings.js";
import { api } from "/static/app/api.js";
import { apply, fmtTime, lang, setLang, t } from "/static/app/i18n.js";
import { renderHealth, renderTrend, resizeCharts } from "./charts.js";
import { Desk } from "./desk.js";
import { startAlerts, relabelAlerts } from "./live.js";
import { DistrictMap } from "./map.js";
import { renderPanel, showGrid } from "./panel.js";
import { renderRanking } from "./ranking.js";
import { bumpWarnings, renderTiles } from "./tiles.js";

const state = { overview: null, days: 30, grids: null, map: null, desk: null };

function later(fn, ms) {
  let timer = null;
  return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
}

async function openGrid(code) {
  if (!state.map.select(code)) return;
  await showGrid(code);
}

function fillGridFinder(collection) {
  const list = document.getElementById("grid-names");
  list.replaceChildren(...collection.features.map((f) => {
    const option = document.createElement("option");
    option.value = `${f.properties.name} ${f.properties.code}`;
    return option;
  }));
  document.getElementById("find").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = document.getElementById("find-grid").value.trim();
    const code = text.match(/\d{15}/)?.[0]
      || collection.features.find((f) => f.properties.name === text)?.properties.code;
    if (code) openGrid(code);
  });
}

function showOverview(overview) {
  state.overview = overview;
  renderTiles(overview.tiles);
  renderRanking(overview);
  document.getElementById("updated").textContent = t("dash.updated", { time: fmtTime(overview.at) });
}

async function refreshOverview() {
  showOverview(await api("/api/v1/dashboard"));
  renderTrend(state.overview, state.days);
  renderHealth(state.overview);
}

async function refreshGrids() {
  state.grids = await api("/api/v1/grids");
  state.map.restyle(state.grids);
}

function relabel() {
  apply();
  if (!state.overview) return;
  showOverview(state.overview);
  renderTrend(state.overview, state.days);
  renderHealth(state.overview);
  renderPanel();
  relabelAlerts();
  state.desk.render();
}

function wireControls() {
  document.getElementById("lang").addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  window.addEventListener("gridloop:lang", relabel);
  document.getElementById("logout").addEventListener("click", async () => {
    await api("/api/v1/auth/logout", { method: "POST" }).catch(() => null);
    location.assign("/login");
  });
  for (const id of ["rank-by", "rank-ind", "rank-order"]) {
    document.getElementById(id).addEventListener("change", () => renderRanking(state.overview));
  }
  for (const button of document.querySelectorAll(".seg button")) {
    button.addEventListener("click", () => {
      state.days = Number(button.dataset.days);
      for (const b of document.querySelectorAll(".seg button")) b.setAttribute("aria-pressed", String(b === button));
      renderTrend(state.overview, state.days);
    });
  }
  window.addEventListener("resize", later(resizeCharts, 150));
}

async function main() {
  apply();
  wireControls();
  api("/api/v1/me").then((me) => {
    document.getElementById("who").textContent = `${me.name ?? me.user?.name ?? ""}`;
  }).catch(() => null);
  state.map = new DistrictMap(document.getElementById("map"), { onGrid: openGrid });
  const [grids, overview, regions] = await Promise.all([
    api("/api/v1/grids"), api("/api/v1/dashboard"), api("/api/v1/regions"),
  ]);
  document.getElementById("district").textContent = regions.name;
  state.grids = grids;
  state.map.draw(grids);
  showOverview(overview);
  if (overview.map.tile_url) state.map.addTiles(overview.map.tile_url, overview.map.tile_attribution);
  window.gridloopReady = performance.now();
  document.body.dataset.ready = "true";

  fillGridFinder(grids);
  state.desk = new Desk({ map: state.map, onChange: () => { refreshOverview(); refreshGrids(); } });
  const refreshSoon = later(() => { refreshOverview(); refreshGrids(); }, 3000);
  startAlerts((alert) => {
    state.map.addAlert(alert);
    bumpWarnings(state.overview.tiles);
    refreshSoon();
  });
  await Promise.all([state.desk.load(), renderTrend(overview, state.days), renderHealth(overview)]);
  document.body.dataset.complete = "true";
}

main().catch((error) => {
  if (error?.status === 401) return; // on its way to the sign-in page
  console.error(error);
  document.getElementById("updated").textContent = `${t("error")}: ${error.message}`;
});
