// Deadlines as people read them: time left (or overdue) to the case's active deadline.
import { t } from "/static/app/i18n.js";

const MINUTE = 60_000;
const FINISHED = new Set(["handled", "awaiting_verification", "verified", "closed", "merged", "refused"]);

const WAITING = { handled: "m.to_feedback", closed: "state.closed", deferred: "state.deferred" };

/** The deadline that runs now: sign_due before signing, handle_due after; null when none runs. */
export function activeDue(doc) {
  if (FINISHED.has(doc.state) || doc.state === "deferred") return null;
  const due = doc.signed ? doc.handle_due : doc.sign_due;
  return due ? { kind: doc.signed ? "handle" : "sign", at: Date.parse(due) } : null;
}

function span(ms) {
  const minutes = Math.max(1, Math.floor(Math.abs(ms) / MINUTE));
  const d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
  if (d > 0) return t("m.span.d", { d, h });
  if (h > 0) return t("m.span.h", { h, m });
  return t("m.span.m", { m });
}

/** {text, late} of a countdown to `due` ({kind, at}) from `now`. */
export function countdown(due, now = Date.now()) {
  const left = due.at - now;
  const what = t(`m.due.${due.kind}`);
  return left > 0
    ? { text: t("m.left", { what, span: span(left) }), late: false }
    : { text: t("m.late", { what, span: span(left) }), late: true };
}

/** Refresh every [data-due] countdown in `root` (the page calls it every 30 s). */
export function tick(root = document) {
  for (const el of root.querySelectorAll("[data-due]")) {
    const { text, late } = countdown({ kind: el.dataset.kind, at: Number(el.dataset.due) });
    el.textContent = text;
    el.classList.toggle("late", late);
  }
}

/** The countdown element for a case, or the waiting note when no deadline runs. */
export function dueHtml(doc) {
  const due = activeDue(doc);
  if (!due) return `<span class="due waiting">${t(WAITING[doc.state] || "m.waiting")}</span>`;
  const { text, late } = countdown(due);
  return `<span class="due${late ? " late" : ""}" data-due="${due.at}" data-kind="${due.kind}">${text}</span>`;
}

/** Midnight on the 1st of the current month in Asia/Shanghai, as ISO with offset, and "2026-11". */
export function monthStart(now = new Date()) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
    .formatToParts(now);
  const year = parts.find((p) => p.type === "year").value;
  const month = parts.find((p) => p.type === "month").value;
  return { iso: `${year}-${month}-01T00:00:00+08:00`, label: `${year}-${month}` };
}
