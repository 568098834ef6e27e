// Photos from the phone's camera: shrunk in the browser before upload (a 12 MP photo becomes
// ~300 KB, which matters on a slow connection), uploaded with visible progress.
import { t } from "/static/app/i18n.js";
import { esc } from "./strings.js";

const MAX_SIDE = 1600;
const QUALITY = 0.8;
const SMALL_ENOUGH = 600 * 1024; // a photo this small and within MAX_SIDE goes as it is
const ACCEPTED = new Set(["image/jpeg", "image/png", "image/webp"]);

export function kb(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The photo to upload: JPEG at most MAX_SIDE px on its long side, unless already small. */
export async function shrink(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size <= SMALL_ENOUGH && ACCEPTED.has(file.type)) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("toBlob"))), "image/jpeg", QUALITY));
  } finally {
    bitmap.close();
  }
}

/** POST the photo to a case; resolves to {sha256, size, type}. XHR, for upload progress. */
export function upload(caseId, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/cases/${encodeURIComponent(caseId)}/attachments`);
    xhr.withCredentials = true;
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((100 * e.loaded) / e.total));
    xhr.onerror = () => reject(new TypeError("network"));
    xhr.ontimeout = xhr.onerror;
    xhr.onload = () => {
      if (xhr.status === 401) location.assign(`/login?next=${encodeURIComponent(location.pathname + location.hash)}`);
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response);
      else reject(new Error(xhr.response?.detail || `HTTP ${xhr.status}`));
    };
    const form = new FormData();
    form.append("file", blob, blob.type === "image/jpeg" ? "photo.jpg" : "photo");
    xhr.send(form);
  });
}

/**
 * A photo field: a large "take a photo" button over a camera input, a preview and its state.
 * With `caseId` the photo uploads as soon as it is chosen; otherwise `uploadTo(id)` does it later.
 */
export class PhotoField {
  constructor(id, caseId = null) {
    this.id = id;
    this.caseId = caseId;
    this.blob = null;
    this.sha = null;
    this.pending = null;
  }

  html() {
    const id = esc(this.id);
    return `<div class="photo" id="${id}-box">
      <input type="file" accept="image/*" capture="environment" id="${id}" class="visually-hidden">
      <label for="${id}" class="button secondary big" id="${id}-pick">${esc(t("m.photo"))}</label>
      <div class="photo-state" id="${id}-state" hidden>
        <img id="${id}-preview" alt="${esc(t("m.photo.alt"))}">
        <div>
          <p id="${id}-status" role="status" aria-live="polite"></p>
          <progress id="${id}-progress" max="100" value="0" hidden></progress>
          <button type="button" class="secondary" id="${id}-retry" hidden>${esc(t("m.photo.retry"))}</button>
          <button type="button" class="secondary" id="${id}-remove">${esc(t("m.photo.remove"))}</button>
        </div>
      </div>
    </div>`;
  }

  bind(root) {
    const $ = (suffix) => root.querySelector(`#${this.id}${suffix}`);
    this.$ = $;
    $("").addEventListener("change", (e) => e.target.files[0] && this.choose(e.target.files[0]));
    $("-remove").addEventListener("click", () => this.clear());
    $("-retry").addEventListener("click", () => this.send());
  }

  status(text, bad = false) {
    const el = this.$("-status");
    el.textContent = text;
    el.classList.toggle("bad", bad);
  }

  async choose(file) {
    this.sha = null;
    this.$("-state").hidden = false;
    this.$("-pick").textContent = t("m.photo.change");
    this.status(t("m.photo.shrinking"));
    try {
      this.blob = await shrink(file);
    } catch {
      this.blob = null;
      this.status(t("m.photo.unreadable"), true);
      return;
    }
    const preview = this.$("-preview");
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(this.blob);
    this.status(t("m.photo.ready", { size: kb(this.blob.size) }));
    if (this.caseId) await this.send().catch(() => {});
  }

  /** Upload to `caseId` (or the field's case); the sha256, or a rejection shown in the field. */
  async uploadTo(caseId) {
    this.caseId = caseId;
    return this.send();
  }

  send() {
    if (!this.blob) return Promise.resolve(null);
    if (this.sha) return Promise.resolve(this.sha);
    const progress = this.$("-progress");
    progress.hidden = false;
    this.$("-retry").hidden = true;
    this.status(t("m.photo.uploading", { pct: 0 }));
    this.pending = upload(this.caseId, this.blob, (pct) => {
      progress.value = pct;
      this.status(t("m.photo.uploading", { pct }));
    })
      .then((stored) => {
        this.sha = stored.sha256;
        this.status(t("m.photo.uploaded", { size: kb(stored.size) }));
        return this.sha;
      })
      .catch((error) => {
        this.status(t("m.photo.failed", { why: error instanceof TypeError ? t("m.offline") : error.message }), true);
        this.$("-retry").hidden = false;
        throw error;
      })
      .finally(() => {
        progress.hidden = true;
        this.pending = null;
      });
    return this.pending;
  }

  clear() {
    this.blob = null;
    this.sha = null;
    this.$("").value = "";
    this.$("-state").hidden = true;
    this.$("-pick").textContent = t("m.photo");
  }

  get busy() {
    return this.pending !== null;
  }

  /** The uploaded photo's hash as a list for `attachments` (waits for an upload in flight). */
  async attachments() {
    if (this.pending) await this.pending;
    if (this.blob && !this.sha) await this.send();
    return this.sha ? [this.sha] : [];
  }
}
