// Trends and device health with ECharts (loaded after the map is ready: it is the heaviest file).
import { lang, t } from "/static/app/i18n.js";
import { table } from "./dom.js";

let echarts = null;
const charts = {};

async function library() {
  echarts ??= await import("/static/vendor/echarts/echarts.esm.min.mjs");
  return echarts;
}

const FONT = 'system-ui, "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/** Canvas text draws only glyphs already loaded: fetch the font subsets these words need. */
async function glyphs(words) {
  const text = words.join("");
  await Promise.all([400, 700].map((w) => document.fonts.load(`${w} 12px "Noto Sans SC"`, text)))
    .catch(() => null);
}

function chart(id) {
  const locale = lang() === "en" ? "EN" : "ZH";
  const current = charts[id];
  if (current && current.locale === locale) return current.instance;
  current?.instance.dispose();
  const instance = echarts.init(document.getElementById(id), null, { renderer: "canvas", locale });
  charts[id] = { instance, locale };
  return instance;
}

const PALETTE = ["#b3261e", "#0b5cad", "#1b7f3b"];

export async function renderTrend(overview, days) {
  await library();
  const rows = overview.trend.slice(-days);
  const series = ["warnings", "opened", "closed"];
  await glyphs(series.map((k) => t(`trend.${k}`)));
  chart("trend").setOption({
    color: PALETTE, animation: false, textStyle: { fontFamily: FONT },
    tooltip: { trigger: "axis" }, legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: rows.map((r) => r.day.slice(5)) },
    yAxis: { type: "value", minInterval: 1 },
    series: series.map((key) => ({
      name: t(`trend.${key}`), type: key === "warnings" ? "bar" : "line", data: rows.map((r) => r[key]),
    })),
  }, true);
  // the same figures as a table for screen readers
  table(document.getElementById("trend-table"),
    [{ label: "" }, ...series.map((k) => ({ label: t(`trend.${k}`), num: true }))],
    rows.map((r) => [r.day, ...series.map((k) => r[k])]));
}

export async function renderHealth(overview) {
  await library();
  const kinds = overview.devices;
  await glyphs([...kinds.map((k) => k.names[lang()]), t("health.online"), t("health.offline")]);
  chart("health").setOption({
    color: ["#1b7f3b", "#8a95a1"], animation: false, textStyle: { fontFamily: FONT },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
    grid: { left: 120, right: 16, top: 30, bottom: 20 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: kinds.map((k) => k.names[lang()]), inverse: true },
    series: ["online", "offline"].map((key) => ({
      name: t(`health.${key}`), type: "bar", stack: "all", data: kinds.map((k) => k[key]),
    })),
  }, true);
  table(document.getElementById("health-table"),
    [{ label: "" }, { label: t("health.online"), num: true }, { label: t("health.offline"), num: true }],
    kinds.map((k) => [k.names[lang()], k.online, k.offline]));
}

export function resizeCharts() {
  for (const c of Object.values(charts)) c.instance.resize();
}
