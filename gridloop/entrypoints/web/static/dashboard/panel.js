// The side panel of one grid: workers, open cases, devices with their status.
import { api } from "/static/app/api.js";
import { fmtTime, lang, t } from "/static/app/i18n.js";
import { el } from "./dom.js";

let shown = null;

export async function showGrid(code) {
  const target = document.getElementById("grid-panel");
  target.setAttribute("aria-busy", "true");
  try {
    shown = await api(`/api/v1/dashboard/grids/${encodeURIComponent(code)}`);
    renderPanel();
  } finally {
    target.removeAttribute("aria-busy");
  }
  return shown;
}

export function renderPanel() {
  const target = document.getElementById("grid-panel");
  if (!shown) return;
  const g = shown;
  const online = g.devices.filter((d) => d.online).length;
  const close = el("button", { type: "button", class: "secondary", text: "×", "aria-label": t("panel.close"),
    onclick: () => { shown = null; target.replaceChildren(el("p", { class: "muted", text: t("panel.hint") })); } });
  const none = () => el("li", { class: "muted", text: t("panel.none") });
  const workers = g.workers.map((w) => el("li", { text: `${w.name}（${w.id}）` }));
  const cases = g.cases.map((c) => el("li", {},
    el("strong", { text: c.case_id }), ` ${c.category_names[lang()]} · ${lang() === "en" ? c.state : c.state_zh}`,
    c.overdue ? el("span", { class: "bad", text: ` · ${t("case.overdue")}` }) : null,
    el("br"), el("span", { class: "muted", text: fmtTime(c.reported_at) })));
  const byKind = new Map();
  for (const d of g.devices) {
    const entry = byKind.get(d.kind) || { names: d.kind_names, online: 0, offline: 0 };
    entry[d.online ? "online" : "offline"] += 1;
    byKind.set(d.kind, entry);
  }
  const devices = [...byKind.values()].map((k) => el("li", {
    text: `${k.names[lang()]}：${t("panel.devices.summary", k)}` }));
  target.replaceChildren(
    el("div", { class: "head" }, el("div", {},
      el("h3", { id: "grid-name", text: `${g.name}` }),
      el("p", { class: "muted", text: `${g.code} · ${g.street.name} ${g.community.name}` +
        (g.households ? ` · ${t("panel.households", { n: g.households })}` : "") })), close),
    el("h3", { text: `${t("panel.workers")} (${g.workers.length})` }), el("ul", {}, ...(workers.length ? workers : [none()])),
    el("h3", { text: `${t("panel.cases")} (${g.cases.length})` }), el("ul", { id: "grid-cases" }, ...(cases.length ? cases : [none()])),
    el("h3", { text: `${t("panel.devices")} (${t("panel.devices.summary", { online, offline: g.devices.length - online })})` }),
    el("ul", {}, ...(devices.length ? devices : [none()])),
  );
}
