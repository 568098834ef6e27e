// What the page keeps between visits: the last lists and cases (shown, marked stale, when the
// network fails), who is signed in, the labels and the worker's grids.
import { api } from "/static/app/api.js";

const PREFIX = "gridloop.m.";
const KEPT_CASES = 30;

export function load(key) {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + key) ?? "null");
  } catch {
    return null;
  }
}

export function save(key, value) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the page still works, only without its offline copy
  }
}

/** True when the request never reached the server (offline, timeout), not an API refusal. */
export function isNetworkError(error) {
  return error instanceof TypeError || error?.name === "AbortError";
}

/**
 * GET `path`; on success remember it under `key` and return {data, at, stale: false}; when the
 * network fails return the remembered copy {data, at, stale: true} (or rethrow without one).
 */
export async function fetchKept(path, key) {
  try {
    const data = await api(path);
    const kept = { data, at: new Date().toISOString() };
    save(key, kept);
    return { ...kept, stale: false };
  } catch (error) {
    const kept = load(key);
    if (!isNetworkError(error) || !kept) throw error;
    return { ...kept, stale: true };
  }
}

/** A case's detail, kept for the last few cases opened. */
export async function fetchCase(id) {
  const result = await fetchKept(`/api/v1/cases/${encodeURIComponent(id)}`, `case.${id}`);
  const order = (load("case-order") || []).filter((c) => c !== id);
  order.unshift(id);
  for (const old of order.splice(KEPT_CASES)) localStorage.removeItem(`${PREFIX}case.${old}`);
  save("case-order", order);
  return result;
}

const once = {};
function shared(key, path) {
  once[key] ??= fetchKept(path, key).then((r) => r.data).catch((error) => {
    delete once[key];
    throw error;
  });
  return once[key];
}

export const me = () => shared("me", "/api/v1/me");
export const labels = () => shared("labels", "/api/v1/labels");
export const grids = () => shared("grids", "/api/v1/grids");

/** The worker id of the signed-in user ("W000001" of scope "worker:W000001"). */
export function workerId(who) {
  return who.scope?.startsWith("worker:") ? who.scope.slice("worker:".length) : who.name;
}

/** Forget everything kept (at sign-out: the next user of the phone sees none of it). */
export function forget() {
  for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
}
