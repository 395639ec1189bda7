// True once Cache Storage `name` (the manifest's names.snapshot_cache) holds an entry: the
// Python snapshot a revisit starts from has been written.
async (name) => (await caches.has(name)) && (await (await caches.open(name)).keys()).length > 0
