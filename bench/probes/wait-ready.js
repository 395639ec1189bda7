// Resolves with {ready: startTime} once the performance mark `name` exists, or {error} when
// #py-status says error or `timeout` ms pass; observers, not polling, so it costs the page nil.
([name, timeout]) =>
  new Promise((resolve) => {
    const status = document.getElementById("py-status");
    let observer = null;
    let watcher = null;
    const done = (value) => {
      observer?.disconnect();
      watcher?.disconnect();
      resolve(value);
    };
    const check = () => {
      const mark = performance.getEntriesByName(name, "mark")[0];
      if (mark) done({ ready: mark.startTime });
      else if (status?.dataset.state === "error") done({ error: status.textContent });
    };
    observer = new PerformanceObserver(check);
    observer.observe({ type: "mark" });
    if (status) {
      watcher = new MutationObserver(check);
      watcher.observe(status, { attributes: true });
    }
    setTimeout(() => done({ error: `no ${name} mark after ${timeout} ms` }), timeout);
    check();
  })
