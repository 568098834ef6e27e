// Every dispatcher action asks first: a modal <dialog> with labelled buttons (Esc cancels).
import { t } from "/static/app/i18n.js";

const dialog = () => document.getElementById("confirm");

/**
 * Ask to confirm `text`; `words` ("note" | "reason") adds a text field, `locate` a building
 * code field and a map pick. Resolves {note, building_code, point} or null when cancelled.
 * `attempt(answer)` runs before closing: a thrown error is shown and the dialog stays open.
 */
export function confirmAction({ text, words = null, locate = null, attempt }) {
  const d = dialog();
  const $ = (id) => document.getElementById(id);
  $("confirm-text").textContent = text;
  $("confirm-error").textContent = "";
  $("confirm-words").hidden = !words;
  $("confirm-note").value = "";
  $("confirm-note").required = words === "reason";
  if (words) $("confirm-note-label").textContent = t(`confirm.${words}`);
  $("confirm-locate").hidden = !locate;
  $("confirm-building").value = "";
  $("confirm-point").textContent = "";
  let point = null;
  return new Promise((resolve) => {
    const form = d.querySelector("form");
    const finish = (value) => {
      form.onsubmit = null;
      $("confirm-pick").onclick = null;
      d.onclose = null;
      if (d.open) d.close();
      resolve(value);
    };
    $("confirm-pick").onclick = async () => {
      d.close();
      d.onclose = null;
      point = await locate.pick();
      d.onclose = () => finish(null);
      d.showModal();
      if (point) $("confirm-point").textContent = t("confirm.point", point);
      $("confirm-ok").focus();
    };
    form.onsubmit = async (event) => {
      event.preventDefault();
      if (event.submitter?.value !== "ok") return finish(null);
      const answer = {
        note: $("confirm-note").value.trim() || null,
        building_code: $("confirm-building").value.trim() || null,
        point,
      };
      if (words === "reason" && !answer.note) {
        $("confirm-error").textContent = t("confirm.reason");
        $("confirm-note").focus();
        return;
      }
      try {
        await attempt(answer);
      } catch (error) {
        $("confirm-error").textContent = error.message || t("error");
        return;
      }
      finish(answer);
    };
    d.onclose = () => finish(null);
    d.showModal();
    (locate ? $("confirm-building") : words ? $("confirm-note") : $("confirm-ok")).focus();
  });
}
