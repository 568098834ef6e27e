// Language and time for every page: zh-CN by default, English on request; times in Asia/Shanghai.
const DICT = {
  zh: {
    "app.title": "网格化社会治理指挥中心",
    "login.title": "登录", "login.name": "用户名", "login.password": "密码", "login.submit": "登录",
    "login.failed": "用户名或密码错误", "logout": "退出", "lang.switch": "English",
    "loading": "加载中…", "error": "出错了", "confirm": "确认", "cancel": "取消",
  },
  en: {
    "app.title": "Grid governance command center",
    "login.title": "Sign in", "login.name": "User name", "login.password": "Password",
    "login.submit": "Sign in", "login.failed": "Unknown user or wrong password", "logout": "Sign out",
    "lang.switch": "中文", "loading": "Loading…", "error": "Something went wrong",
    "confirm": "Confirm", "cancel": "Cancel",
  },
};

const KEY = "gridloop.lang";

export function lang() {
  return localStorage.getItem(KEY) === "en" ? "en" : "zh";
}

/** Add page-specific strings: extend({zh: {...}, en: {...}}). */
export function extend(more) {
  for (const code of Object.keys(DICT)) Object.assign(DICT[code], more[code] || {});
}

export function t(key, vars = {}) {
  const text = DICT[lang()][key] ?? DICT.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

/** Fill every [data-i18n] element (and [data-i18n-label] aria-labels) in `root`. */
export function apply(root = document) {
  document.documentElement.lang = lang() === "en" ? "en" : "zh-CN";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  }
}

export function setLang(code) {
  localStorage.setItem(KEY, code === "en" ? "en" : "zh");
  apply();
  window.dispatchEvent(new CustomEvent("gridloop:lang"));
}

const SHANGHAI = "Asia/Shanghai";

/** "2026-11-29 14:05" in Asia/Shanghai, whatever the browser's zone. */
export function fmtTime(value) {
  if (!value) return "–";
  const d = new Date(value);
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: SHANGHAI, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(d);
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** A percentage with two decimals from a fraction (null → "–"). */
export function fmtRate(fraction) {
  return fraction === null || fraction === undefined ? "–" : `${(fraction * 100).toFixed(2)}%`;
}
