// Installed before any page script (add_init_script), called with [question, content] selectors:
// records the long tasks of the page's thread and stamps the first animation frame in which
// each selector's element is visible and, if a form control, enabled. Read as window.__bench.
([question, content]) => {
  if (window.top !== window) return;
  const bench = (window.__bench = { longtasks: [], question: null, content: null });
  try {
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) bench.longtasks.push([task.startTime, task.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    bench.longtaskError = String(error);
  }
  const shown = (element) =>
    element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const usable = (selector) => {
    const element = document.querySelector(selector);
    if (!element || !shown(element)) return false;
    return !element.matches("input, button, select, textarea") || element.matches(":enabled");
  };
  const tick = () => {
    const now = performance.now();
    if (question && bench.question === null && usable(question)) bench.question = now;
    if (content && bench.content === null && usable(content)) bench.content = now;
    const pending = (question && bench.question === null) || (content && bench.content === null);
    if (pending && now < 120000) requestAnimationFrame(tick);
  };
  if (question || content) requestAnimationFrame(tick);
}
