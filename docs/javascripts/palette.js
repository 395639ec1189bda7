// @ts-check
/*
 * The light / dark toggle in the header, in place of Material's own palette component.
 *
 * Why: Material's component, as it starts on every page load, marks the whole page as
 * "switching colours" and then reads the header's computed style, which makes the browser
 * restyle every element of the page twice. On a phone that is the largest single piece of
 * main-thread work a playbook page does (bench/levers.md). This does the same job and restyles
 * only when the colours really change: when the reader toggles, or on a first visit from a
 * browser that prefers the other scheme.
 *
 * hooks/palette.py takes the `data-md-component="palette"` mark off the toggle's form, so
 * Material leaves it alone, and adds the palette's own marker that this script looks for.
 * The choice is kept where Material keeps it (`__md_get`/`__md_set("__palette")`, defined by
 * the theme's inline script in <head>), so Material's inline script at the top of <body> applies
 * it before the first paint on every later page, exactly as before.
 */
(() => {
  const form = document.querySelector("form[data-pp-palette]");
  if (!form) return;
  const inputs = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("input")]);
  if (inputs.length === 0) return;
  // Material's inline script in <head> defines these over localStorage, which throws where the
  // browser blocks site data: the palette then works for this page only.
  // @ts-ignore: defined by Material's inline script in <head>.
  const mdGet = /** @type {((key: string) => any) | undefined} */ (window.__md_get);
  // @ts-ignore: as above.
  const mdSet = /** @type {((key: string, value: unknown) => void) | undefined} */ (window.__md_set);
  const get = (/** @type {string} */ key) => {
    try {
      return mdGet?.(key);
    } catch {
      return undefined;
    }
  };
  const set = (/** @type {string} */ key, /** @type {unknown} */ value) => {
    try {
      mdSet?.(key, value);
    } catch {
      // Not kept: the next page starts from the colour scheme the device asks for.
    }
  };
  const body = document.body;

  /** The palette described by `input`, as Material stores it. */
  const paletteOf = (/** @type {HTMLInputElement} */ input) => ({
    index: inputs.indexOf(input),
    color: {
      media: input.dataset.mdColorMedia ?? "",
      scheme: input.dataset.mdColorScheme ?? "",
      primary: input.dataset.mdColorPrimary ?? "",
      accent: input.dataset.mdColorAccent ?? "",
    },
  });

  /** Show the toggle that switches away from the current palette; hide the others. */
  const showToggle = (/** @type {number} */ current) => {
    inputs.forEach((input, index) => {
      const label = input.nextElementSibling;
      if (label instanceof HTMLElement) label.hidden = index !== current;
    });
  };

  /** Give the browser's own UI the header's colour and the page's colour scheme. */
  const updateMeta = () => {
    const header = document.querySelector("[data-md-component=header]");
    if (!header) return;
    const style = getComputedStyle(header);
    const hex = (style.backgroundColor.match(/\d+/g) ?? [])
      .slice(0, 3)
      .map((value) => Number(value).toString(16).padStart(2, "0"))
      .join("");
    for (const [name, content] of [
      ["theme-color", hex ? `#${hex}` : ""],
      ["color-scheme", style.colorScheme],
    ]) {
      let meta = document.head.querySelector(`meta[name="${name}"]`);
      if (!meta) {
        meta = document.createElement("meta");
        meta.setAttribute("name", name);
        document.head.append(meta);
      }
      meta.setAttribute("content", content);
    }
  };

  /** Apply `palette` to the page (only the attributes that change), keep it, show its toggle. */
  const apply = (/** @type {ReturnType<typeof paletteOf>} */ palette) => {
    const changes = Object.entries(palette.color).filter(
      ([key, value]) => body.getAttribute(`data-md-color-${key}`) !== value,
    );
    // Only these are styled: a changed `media` alone (a mere record) restyles nothing.
    const restyle = changes.some(([key]) => key !== "media");
    // No colour transitions while the scheme changes (Material's own rule keys on this).
    if (restyle) body.setAttribute("data-md-color-switching", "");
    for (const [key, value] of changes) body.setAttribute(`data-md-color-${key}`, value);
    if (restyle) setTimeout(() => body.removeAttribute("data-md-color-switching"));
    inputs[palette.index].checked = true;
    showToggle(palette.index);
    set("__palette", palette);
  };

  const stored = get("__palette");
  const storedIndex = typeof stored?.index === "number" ? stored.index : -1;
  const first = inputs[storedIndex] ?? inputs.find((input) => {
    const media = input.dataset.mdColorMedia;
    return media ? matchMedia(media).matches : false;
  });
  apply(paletteOf(first ?? inputs[0]));
  // Read once the page is idle, when nothing is left to restyle: then it costs nothing.
  if (typeof requestIdleCallback === "function") requestIdleCallback(updateMeta);
  else setTimeout(updateMeta, 0);

  for (const input of inputs) {
    input.addEventListener("change", () => {
      apply(paletteOf(input));
      updateMeta();
    });
  }
})();
