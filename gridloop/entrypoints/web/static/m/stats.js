// My numbers this month: the closed-loop indicators of the cases dispatched to me since the 1st
// (Asia/Shanghai), as the evaluation computes them from the case history.
import { fmtRate, lang, t } from "/static/app/i18n.js";
import { monthStart } from "./clock.js";
import { fetchKept, labels, me, workerId } from "./store.js";
import { esc } from "./strings.js";
import { show, staleNote } from "./ui.js";

const SHOWN = [
  "closed", "handled", "on_time_handling_rate", "on_time_sign_rate", "on_time_closure_rate",
  "closure_rate", "satisfaction_rate", "reworks", "returns", "extensions",
];

export async function showStats(main, focus) {
  const started = location.hash;
  const [who, names] = await Promise.all([me(), labels()]);
  const month = monthStart();
  const scope = encodeURIComponent(`worker:${workerId(who)}`);
  const result = await fetchKept(`/api/v1/reports?scope=${scope}&from=${encodeURIComponent(month.iso)}`, "stats");
  staleNote(result);
  const total = result.data.total || {};
  const byCode = Object.fromEntries(names.indicators.map((i) => [i.code, i]));
  const tiles = SHOWN.filter((code) => code in total).map((code) => {
    const indicator = byCode[code] || { code, zh: code, en: code, rate: code.endsWith("_rate") };
    const value = indicator.rate ? fmtRate(total[code]) : String(total[code] ?? "–");
    return `<div class="tile"><dt>${esc(lang() === "en" ? indicator.en : indicator.zh)}</dt><dd>${esc(value)}</dd></div>`;
  });
  if (!show(main, `
    <h2 id="stats-h">${esc(t("m.stats"))}</h2>
    <p class="muted">${esc(t("m.stats.scope", { month: month.label }))}</p>
    ${tiles.length ? `<dl class="tiles">${tiles.join("")}</dl>` : `<p class="muted">${esc(t("m.stats.none"))}</p>`}`, focus, started)) return;
}
