// Resolves true once Cache Storage `name` (the manifest's names.snapshot_cache) holds an entry,
// the Python snapshot a revisit starts from; false if `timeout` ms pass first. It polls, and
// runs through page.evaluate, which awaits it (wait_for_function would take the promise itself
// for a truthy answer at once).
async ([name, timeout]) => {
  const kept = async () =>
    (await caches.has(name)) && (await (await caches.open(name)).keys()).length > 0;
  const deadline = performance.now() + timeout;
  while (!(await kept())) {
    if (performance.now() > deadline) return false;
    await new Promise((wake) => setTimeout(wake, 250));
  }
  return true;
}
