// borderwatch web: the only script. Filter menus submit on change; nothing else.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("form.filters select.auto")) {
    el.addEventListener("change", () => el.form.submit());
  }
});
