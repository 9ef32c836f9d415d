// borderwatch web: the only script. Filter menus submit on change; review-list shortcuts.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("form.filters select.auto")) {
    el.addEventListener("change", () => el.form.submit());
  }
  // j/k move through the review list, o/Enter open, r/i/d mark reviewed/important/dismissed
  const rows = Array.from(document.querySelectorAll("tr[data-review]"));
  const form = document.getElementById("kbd-form");
  if (!rows.length) return;
  let at = -1;
  const select = (i) => {
    if (at >= 0) rows[at].classList.remove("sel");
    at = Math.max(0, Math.min(rows.length - 1, i));
    rows[at].classList.add("sel");
    rows[at].scrollIntoView({block: "nearest"});
  };
  const marks = {r: "reviewed", i: "important", d: "dismissed"};
  // after a mark the page reloads: select the row that took the marked one's place
  const was = Number(sessionStorage.getItem("bw-sel-" + location.pathname));
  sessionStorage.removeItem("bw-sel-" + location.pathname);
  if (was >= 0 && sessionStorage.getItem("bw-sel-set") === location.pathname + location.search) {
    select(was);
  }
  sessionStorage.removeItem("bw-sel-set");
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) return;
    if (ev.key === "j") select(at + 1);
    else if (ev.key === "k") select(at < 0 ? 0 : at - 1);
    else if ((ev.key === "o" || ev.key === "Enter") && at >= 0) window.location.href = rows[at].dataset.href;
    else if (marks[ev.key] && at >= 0 && form) {
      sessionStorage.setItem("bw-sel-" + location.pathname, String(at));
      sessionStorage.setItem("bw-sel-set", location.pathname + location.search);
      form.action = rows[at].dataset.review;
      form.elements.status.value = marks[ev.key];
      form.submit();
    } else return;
    ev.preventDefault();
  });
});
