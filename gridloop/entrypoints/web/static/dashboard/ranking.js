// Streets, communities and grids ranked by one of the standard indicators.
import { fmtRate, t } from "/static/app/i18n.js";
import { table } from "./dom.js";

export function renderRanking(overview) {
  const by = document.getElementById("rank-by").value;
  const key = document.getElementById("rank-ind").value;
  const worst = document.getElementById("rank-order").value === "worst";
  const rows = [...(overview.rankings[by] || [])].filter((r) => r.code !== "-");
  // rows without a rate (nothing due) go last either way
  rows.sort((a, b) => {
    const x = a[key], y = b[key];
    if (x === null && y === null) return b.registered - a.registered;
    if (x === null) return 1;
    if (y === null) return -1;
    return worst ? x - y || b.registered - a.registered : y - x || b.registered - a.registered;
  });
  table(document.getElementById("ranking"),
    [{ label: t("rank.rank"), num: true }, { label: t("rank.name") }, { label: t("rank.registered"), num: true },
      { label: t("trend.closed"), num: true }, { label: t(`ind.${key}`), num: true }],
    rows.map((r, i) => [i + 1, r.name === r.code ? r.code : `${r.name}`, r.registered, r.closed, fmtRate(r[key])]));
}
