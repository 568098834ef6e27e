// The worker's phone page: a hash router over four views, the header (language, sign-out), the
// 30-second countdown tick and the live feed of new assignments.
import { api, stream } from "/static/app/api.js";
import { apply, lang, setLang, t } from "/static/app/i18n.js";
import "./strings.js";
import { showCases } from "./cases.js";
import { tick } from "./clock.js";
import { showCase } from "./detail.js";
import { showPatrol } from "./patrol.js";
import { showStats } from "./stats.js";
import { forget, me } from "./store.js";
import { esc } from "./strings.js";
import { show, staleNote, toast, why } from "./ui.js";

const main = document.getElementById("main");
const TICK_MS = 30_000;
let first = true;

function parse(hash) {
  const [, view = "", arg = ""] = hash.match(/^#\/([\w-]*)\/?(.*)$/) || [];
  return { view, arg: decodeURIComponent(arg) };
}

async function route() {
  const { view, arg } = parse(location.hash);
  const tab = view === "case" ? "" : view;
  for (const link of document.querySelectorAll("nav.tabs a")) {
    if (link.dataset.view === tab) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const focus = !first; // on first load leave focus where the browser puts it
  first = false;
  main.setAttribute("aria-busy", "true");
  staleNote(null);
  try {
    if (view === "case" && arg) await showCase(main, arg);
    else if (view === "patrol") await showPatrol(main, focus);
    else if (view === "stats") await showStats(main, focus);
    else await showCases(main, focus);
  } catch (error) {
    show(main, `<h2>${esc(t("error"))}</h2><p class="bad" role="alert">${esc(why(error))}</p>
      <button type="button" id="retry">${esc(t("m.refresh"))}</button>`, focus);
    main.querySelector("#retry").addEventListener("click", route);
  } finally {
    main.removeAttribute("aria-busy");
  }
}

async function header() {
  try {
    const who = await me();
    document.getElementById("who").textContent = who.name;
  } catch {
    // the views say what went wrong
  }
}

/** Redraw the list when it is on screen; other views keep what the worker is typing. */
function refreshList() {
  if (parse(location.hash).view === "") showCases(main, false).catch(() => {});
}

function listen() {
  if (!window.EventSource) return;
  stream("/api/v1/feed", (kind, notice) => {
    const key = { assigned: "m.notice.assigned", rework: "m.notice.rework", escalated: "m.notice.escalated" }[kind];
    toast(t(key || "m.notice.other", { id: notice.case_id }));
    refreshList();
  });
}

document.getElementById("lang").addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
document.getElementById("logout").addEventListener("click", async () => {
  try {
    await api("/api/v1/auth/logout", { method: "POST" });
  } finally {
    forget();
    location.assign("/login");
  }
});
document.querySelector(".skip").addEventListener("click", (e) => {
  e.preventDefault(); // the hash is the router's: move focus instead of navigating
  main.focus();
});
window.addEventListener("gridloop:lang", () => {
  document.title = `${t("m.title")} · gridloop`;
  route();
});
window.addEventListener("hashchange", route);
window.addEventListener("online", refreshList);
setInterval(() => tick(main), TICK_MS);

apply();
document.title = `${t("m.title")} · gridloop`;
header();
route();
listen();
