// What every view of the phone page shares: the stale-data note, short messages, errors.
import { fmtTime, t } from "/static/app/i18n.js";
import { isNetworkError } from "./store.js";

/** Show (or hide, with null) the note that the data on screen is an offline copy. */
export function staleNote(result) {
  const note = document.getElementById("net");
  note.hidden = !result?.stale;
  note.textContent = result?.stale ? t("m.stale", { time: fmtTime(result.at) }) : "";
}

let toastTimer = 0;
/** A short message read out by screen readers and shown for a few seconds. */
export function toast(text, bad = false) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.classList.toggle("bad", bad);
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
}

/** Why something failed, in the reader's words. */
export function why(error) {
  return isNetworkError(error) ? t("m.offline") : error?.message || t("error");
}

/**
 * Put a view's HTML in place and move focus to its heading (for keyboards and readers), unless
 * the worker went elsewhere (`started`: the hash when the view began loading); true if shown.
 */
export function show(main, html, focus = true, started = location.hash) {
  if (location.hash !== started) return false;
  main.innerHTML = html;
  const heading = main.querySelector("h2");
  if (heading && focus) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
  return true;
}
