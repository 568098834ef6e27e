// The dispatcher's desk: queues of cases waiting for a decision, each action confirmed first.
import { api } from "/static/app/api.js";
import { fmtTime, lang, t } from "/static/app/i18n.js";
import { confirmAction } from "./confirm.js";
import { el, table } from "./dom.js";

const QUEUES = ["unlocated", "returned", "awaiting_verification", "extensions"];
const ACTIONS = {
  unlocated: [["locate", null]],
  returned: [["dispatch", null]],
  awaiting_verification: [["verify_pass", "note"], ["verify_fail", "note"]],
  extensions: [["grant_extension", "note"], ["refuse_extension", "reason"]],
};

export class Desk {
  constructor({ map, onChange }) {
    this.map = map;
    this.onChange = onChange;
    this.data = null;
    this.current = "unlocated";
    const tabs = [...document.querySelectorAll("#queue-tabs [role=tab]")];
    for (const tab of tabs) {
      tab.addEventListener("click", () => this.open(tab.dataset.queue, true));
      tab.addEventListener("keydown", (e) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
        if (!step) return;
        const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
        this.open(next.dataset.queue, true);
      });
    }
  }

  async load() {
    try {
      this.data = await api("/api/v1/dashboard/queues");
    } catch (error) {
      if (error.status !== 403) throw error;
      this.data = Object.fromEntries(QUEUES.map((q) => [q, null])); // not a desk for this role
    }
    for (const name of QUEUES) {
      const items = this.data[name];
      document.querySelector(`#tab-${name} .count`).textContent = items ? `(${items.length})` : "";
    }
    if (this.data[this.current] === null || this.data[this.current] === undefined) {
      this.current = QUEUES.find((q) => this.data[q]) || this.current;
    }
    this.open(this.current, false);
  }

  open(name, focus) {
    this.current = name;
    for (const tab of document.querySelectorAll("#queue-tabs [role=tab]")) {
      const selected = tab.dataset.queue === name;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) tab.focus();
    }
    document.getElementById("queue").setAttribute("aria-labelledby", `tab-${name}`);
    this.render();
  }

  render() {
    const target = document.getElementById("queue");
    if (!this.data) return;
    const items = this.data[this.current];
    if (items === null) return target.replaceChildren(el("p", { class: "muted", text: t("dispatch.not_yours") }));
    if (!items.length) return target.replaceChildren(el("p", { class: "muted", text: t("dispatch.empty") }));
    const columns = [
      { label: t("case.id") }, { label: t("case.category") }, { label: t("case.description") },
      { label: t("case.grid") }, { label: t("case.reported") },
      { label: this.current === "extensions" ? t("case.until") : t("case.assignee") },
      { label: t("case.actions") },
    ];
    const rows = items.map((c) => [
      c.case_id, c.category_names[lang()], c.description || "–", c.grid_name || "–", fmtTime(c.reported_at),
      this.current === "extensions" ? fmtTime(c.extension_until) : c.assignee_name || "–",
      el("span", {}, ...ACTIONS[this.current].map(([action, words]) => el("button", {
        type: "button", class: action.includes("fail") || action.includes("refuse") ? "secondary" : null,
        text: t(`act.${action}`), "aria-label": `${t(`act.${action}`)} ${c.case_id}`,
        onclick: () => this.act(c, action, words),
      }))),
    ]);
    const holder = el("table", { "aria-labelledby": `tab-${this.current}` });
    table(holder, columns, rows);
    target.replaceChildren(holder);
  }

  async act(c, action, words) {
    const locate = action === "locate" ? { pick: () => this.pick() } : null;
    const answer = await confirmAction({
      text: t(`confirm.${action}`, { id: c.case_id }), words, locate,
      attempt: (a) => this.send(c, action, a),
    });
    if (!answer) return;
    document.getElementById("done").textContent = t("confirm.done", { id: c.case_id });
    await this.load();
    this.onChange();
  }

  async pick() {
    const hint = document.getElementById("pick-hint");
    hint.hidden = false;
    try {
      return await this.map.pickPoint();
    } finally {
      hint.hidden = true;
    }
  }

  send(c, action, answer) {
    const id = encodeURIComponent(c.case_id);
    if (action === "locate") {
      const body = answer.building_code ? { building_code: answer.building_code }
        : answer.point ? { lon: answer.point.lon, lat: answer.point.lat } : null;
      if (!body) throw new Error(t("confirm.building"));
      return api(`/api/v1/cases/${id}/locate`, { method: "POST", body });
    }
    const body = { action };
    if (answer.note) body[action === "refuse_extension" ? "reason" : "note"] = answer.note;
    return api(`/api/v1/cases/${id}/actions`, { method: "POST", body });
  }
}
