// Live alerts: the SSE stream of the caller's region, a list of the newest, markers on the map.
import { stream } from "/static/app/api.js";
import { fmtTime, lang, t } from "/static/app/i18n.js";

const KEEP = 50;

export function startAlerts(onAlert) {
  const seen = new Set();
  const list = document.getElementById("alerts");
  const close = stream("/api/v1/alerts/stream", (kind, alert) => {
    if (kind !== "alert" || seen.has(alert.id)) return;
    seen.add(alert.id);
    if (list.querySelector(".muted")) list.textContent = "";
    list.prepend(alertItem(alert));
    while (list.children.length > KEEP) list.lastElementChild.remove();
    onAlert(alert);
  });
  document.getElementById("live-dot").hidden = false;
  document.getElementById("live-dot").title = t("alerts.live");
  return close;
}

export function alertItem(alert) {
  const li = document.createElement("li");
  li.dataset.alertId = alert.id;
  li.dataset.alert = JSON.stringify(alert);
  fillItem(li, alert);
  return li;
}

function fillItem(li, alert) {
  const sev = document.createElement("span");
  sev.className = `sev ${alert.severity}`;
  sev.textContent = t(`sev.${alert.severity}`);
  const what = document.createElement("strong");
  what.textContent = ` ${alert.rule_names[lang()]} `;
  const where = document.createElement("span");
  where.className = "muted";
  where.textContent = `${alert.grid_name} · ${alert.device_id} · ${fmtTime(alert.started_at)}`;
  li.replaceChildren(sev, what, document.createElement("br"), where);
}

/** Re-label the listed alerts after a language switch. */
export function relabelAlerts() {
  for (const li of document.querySelectorAll("#alerts li[data-alert]")) {
    fillItem(li, JSON.parse(li.dataset.alert));
  }
}
