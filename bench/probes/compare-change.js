// Changes the side of the last response whose code said none (its <select> in the list) to
// `side` and resolves with the milliseconds from that change until #compare-result's state is
// "shown" again (or {error}). The state is set aside first, so only the new result counts.
([side, timeout]) =>
  new Promise((resolve) => {
    const section = document.getElementById("compare-result");
    const select = [...document.querySelectorAll("#pp-response-rows select")].pop();
    if (!select) return resolve({ error: "no side to choose in the list of responses" });
    let start = 0;
    const observer = new MutationObserver(() => {
      const state = section.dataset.state;
      if (state === "shown") resolve({ ms: performance.now() - start });
      else if (state === "error") resolve({ error: "the page showed an error" });
      else return;
      observer.disconnect();
    });
    observer.observe(section, { attributes: true, attributeFilter: ["data-state"] });
    setTimeout(() => resolve({ error: `no result in ${timeout} ms` }), timeout);
    section.dataset.state = "bench-asked";
    start = performance.now();
    select.value = side;
    select.dispatchEvent(new Event("change"));
  })
