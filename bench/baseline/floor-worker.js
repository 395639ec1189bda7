// The worker of floor-worker.html: loadPyodide() from the site's own runtime/, nothing else.
import { loadPyodide } from "../runtime/pyodide/pyodide.mjs";

const indexURL = new URL("../runtime/pyodide/", import.meta.url).href;
loadPyodide({ indexURL }).then(
  () => postMessage("ready"),
  (error) => postMessage(`error: ${error}`),
);
