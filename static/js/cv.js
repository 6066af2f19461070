// The CV's review: "Accept all of …" ticks (or unticks) every box of its section.
// Without JavaScript the section's box alone is enough: the server reads it as "all".
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all) return;
  const section = document.getElementById(all.dataset.checkAll);
  section.querySelectorAll('input[type="checkbox"][name="accepted"]').forEach((box) => {
    if (box !== all) box.checked = all.checked;
  });
});
