// Pastes `text` (sealed replies) into the compare page's box and presses "Add": resolves with
// the milliseconds from the press until #compare-result's state is "shown" again, with the
// count of responses listed (or {error}). The state is set aside first: only the new result counts.
([text, timeout]) =>
  new Promise((resolve) => {
    const section = document.getElementById("compare-result");
    let start = 0;
    const observer = new MutationObserver(() => {
      const state = section.dataset.state;
      if (state === "shown") {
        resolve({ ms: performance.now() - start, count: document.getElementById("pp-count").textContent });
      } else if (state === "error") resolve({ error: "the page showed an error" });
      else return;
      observer.disconnect();
    });
    observer.observe(section, { attributes: true, attributeFilter: ["data-state"] });
    setTimeout(() => resolve({ error: `no result in ${timeout} ms` }), timeout);
    document.getElementById("pp-codes").value = text;
    section.dataset.state = "bench-asked";
    start = performance.now();
    document.getElementById("pp-add-codes").click();
  })
