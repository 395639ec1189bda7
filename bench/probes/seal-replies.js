// Seals each of `codes` to the round (`round`, its public key `key`) with the page's own
// seal.js (imported from `module`), as a respondent's page does; resolves with the replies as
// they are pasted ({start}{round}.{body}{end}) and the milliseconds each sealing took.
async ([module, codes, round, key, start, end]) => {
  const { sealReply } = await import(module);
  const ms = [];
  const replies = [];
  for (const code of codes) {
    const begun = performance.now();
    const body = await sealReply(code, round, key);
    ms.push(performance.now() - begun);
    replies.push(`${start}${round}.${body}${end}`);
  }
  return { ms, replies };
}
