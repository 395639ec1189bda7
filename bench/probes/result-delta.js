// The last `shown` mark minus the last `requested` mark before it, in ms (null if none).
([requested, shown]) => {
  const last = (name) => performance.getEntriesByName(name, "mark").at(-1);
  const end = last(shown);
  const start = performance
    .getEntriesByName(requested, "mark")
    .filter((mark) => mark.startTime <= end.startTime)
    .at(-1);
  return start ? end.startTime - start.startTime : null;
}
