// The worker of floor-worker.html: loadPyodide() from the site's own runtime/, nothing else.
// bench/run.py fills in {{pyodide_module}} and {{pyodide_base}} from runtime/manifest.json.
import { loadPyodide } from "../{{pyodide_module}}";

const indexURL = new URL("../{{pyodide_base}}", import.meta.url).href;
loadPyodide({ indexURL }).then(
  () => postMessage("ready"),
  (error) => postMessage(`error: ${error}`),
);
