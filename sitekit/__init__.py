"""What the Chromium suite and the benchmark share: the browser, the server, the recorder.

- ``sitekit.chromium``: Debian's Chromium and the flags both drive it with;
- ``sitekit.server``: the built site served under a GitHub Pages-like sub-path;
- ``sitekit.recorder``: the request log that proves no request leaves the site's origin;
- ``sitekit.manifest``: the runtime manifest the build writes (file lists and shared names);
- ``sitekit.pages``: which built pages start Python;
- ``sitekit.hookfiles``: the MkDocs hooks, imported as MkDocs does.
"""
