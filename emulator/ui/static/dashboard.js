// The journal page, live: every second, fetch the calls newer than the newest one shown and
// put them on top (newest first). Plain JavaScript, no library; the page works without it.
(function () {
  "use strict";
  const list = document.getElementById("journal");
  if (!list) return;
  const live = document.getElementById("live");
  const empty = document.getElementById("journal-empty");
  const most = 100;
  let after = Number(list.dataset.after || 0);

  function update(html, oldest) {
    for (const row of Array.from(list.querySelectorAll(".entry"))) {
      if (!oldest || Number(row.dataset.id) < oldest) row.remove(); // cleared or reset away
    }
    if (html.trim()) {
      const holder = document.createElement("div");
      holder.innerHTML = html;
      const rows = Array.from(holder.querySelectorAll(".entry"));
      rows.forEach((row) => row.classList.add("new"));
      list.prepend(...rows);
    }
    const rows = list.querySelectorAll(".entry");
    for (let i = most; i < rows.length; i += 1) rows[i].remove();
    if (empty) empty.hidden = rows.length > 0;
  }

  async function poll() {
    try {
      const url = list.dataset.poll + "&after=" + after;
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      const newest = response.headers.get("X-Journal-Newest");
      if (!response.ok || newest === null) throw new Error("journal unavailable");
      const oldest = Number(response.headers.get("X-Journal-Oldest") || 0);
      update(await response.text(), oldest);
      after = Math.max(after, Number(newest));
      live.classList.remove("off");
      live.textContent = "live";
    } catch (error) {
      live.classList.add("off");
      live.textContent = "not updating (" + error.message + ")";
    }
    window.setTimeout(poll, document.hidden ? 5000 : 1000);
  }
  window.setTimeout(poll, 1000);
})();
