// The pages talk to gridloop's own API with the session cookie set at sign-in.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = "GET", body, form } = {}) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (form) init.body = form;
  else if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    const next = encodeURIComponent(location.pathname + location.search);
    location.assign(`/login?next=${next}`);
    throw new ApiError(401, null);
  }
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : null);
  return data;
}

/** Server-sent events from `path`, reconnecting with the last id; returns a close function. */
export function stream(path, onEvent) {
  const source = new EventSource(path, { withCredentials: true });
  const handler = (e) => onEvent(e.type, JSON.parse(e.data), e.lastEventId);
  source.onmessage = handler;
  const kinds = ["assigned", "escalated", "returned", "awaiting_verification", "alert",
    "extension_requested", "rework", "alert_cleared", "merged", "closed", "locate"];
  for (const kind of kinds) source.addEventListener(kind, handler);
  return () => source.close();
}
