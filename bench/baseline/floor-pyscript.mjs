// The PyScript floor's page script (floor-pyscript.html, theme-pyscript.html): start PyScript
// from the site's runtime/, wait for the worker, call its one function, as a page calls ping.
const status = document.getElementById("py-status");
const show = (state, text) => {
  status.dataset.state = state;
  status.textContent = text;
};
try {
  const { whenDefined } = await import("../{{pyscript_module}}");
  await whenDefined("py");
  const worker = document.querySelector('script[type="py"]').xworker;
  await worker.ready;
  const answer = await worker.sync.ping();
  performance.mark("{{ready_mark}}");
  show("ready", answer);
} catch (error) {
  show("error", String(error));
}
