// The worker of floor-worker.html: loadPyodide() from the site's own runtime/, nothing else.
// bench/floors.py fills in {{pyodide_module}}, {{pyodide_base}}, {{published_stdlib}} and
// {{site_stdlib_query}}. Pyodide's standard library is the one Pyodide publishes (all source,
// copied beside this file), unless the page asks for the site's own with that query (the
// build's library, with what the worker imports compiled).
import { loadPyodide } from "../{{pyodide_module}}";

const indexURL = new URL("../{{pyodide_base}}", import.meta.url).href;
const stdLibURL = new URL("{{published_stdlib}}", import.meta.url).href;
const site = new URL(import.meta.url).search === "?{{site_stdlib_query}}";
// Left out, not undefined, for the site's: loadPyodide would take undefined as the URL.
loadPyodide(site ? { indexURL } : { indexURL, stdLibURL }).then(
  () => postMessage("ready"),
  (error) => postMessage(`error: ${error}`),
);
