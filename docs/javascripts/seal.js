// @ts-check
/*
 * Sealed replies of a two-sided health check, made and opened with the browser's own WebCrypto;
 * nothing here is sent anywhere. No DOM: the pages import it, and tests/test_seal.py runs it in
 * Node.js (which has the same WebCrypto).
 *
 * - The organiser's browser makes a round's key pair (ECDH on P-256). The public key travels in
 *   the round's invitation links; the private key never leaves the organiser's browser: it is
 *   kept non-extractable (IndexedDB), and once, at the round's start, written to a backup file
 *   protected by a passphrase (PBKDF2-SHA-256, then AES-GCM).
 * - A respondent's browser seals their share code to that public key: an ephemeral ECDH key
 *   pair, HKDF-SHA-256 over the shared secret (salted with the round's id), AES-GCM. Only the
 *   organiser's private key opens it; the round's id is bound in as additional data, so a reply
 *   to another round never opens as this one's.
 * - A sealed reply's body is base64url (letters, digits, "-" and "_"); the page writes it between
 *   two markers (assessment/replies.py owns that format, and finds replies in any pasted text:
 *   wrapped, "> " quoted, words around them; the manifest carries the markers).
 */

const subtle = globalThis.crypto.subtle;
const ECDH = { name: "ECDH", namedCurve: "P-256" };
const HKDF_INFO = new TextEncoder().encode("partnership-playbook reply v1");
const BACKUP_INFO = "partnership-playbook key backup v1";
// The backup's passphrase is stretched with this many PBKDF2 rounds (OWASP's advice for
// PBKDF2-SHA-256); a backup records its own count, so a later change still opens old ones.
export const BACKUP_ITERATIONS = 600_000;
// A public key (P-256, uncompressed) is 65 bytes; an AES-GCM nonce 12.
const PUBLIC_KEY_BYTES = 65;
const NONCE_BYTES = 12;

/* ---- base64url ---------------------------------------------------------------------------- */

/** Bytes as base64url, without padding. */
export const toBase64url = (/** @type {Uint8Array} */ bytes) => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};

/** Base64url (padding optional) as bytes; throws on anything else. */
export const fromBase64url = (/** @type {string} */ text) => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
};

const utf8 = (/** @type {string} */ text) => new TextEncoder().encode(text);

/* ---- The round's keys ------------------------------------------------------------------- */

/**
 * A new key pair for a round: the public key (raw, base64url, for the invitation), the private
 * key as PKCS#8 bytes (only to write the backup, then forgotten) and the private key itself,
 * imported again as non-extractable (what the organiser's browser keeps).
 */
export const makeRoundKeys = async () => {
  const pair = /** @type {CryptoKeyPair} */ (await subtle.generateKey(ECDH, true, ["deriveBits"]));
  const publicKey = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", pair.privateKey));
  const privateKey = await importPrivateKey(pkcs8);
  return { publicKey: toBase64url(publicKey), pkcs8, privateKey };
};

/** A private key from its PKCS#8 bytes, non-extractable: it can open replies, never leave. */
export const importPrivateKey = (/** @type {Uint8Array<ArrayBuffer>} */ pkcs8) =>
  subtle.importKey("pkcs8", pkcs8, ECDH, false, ["deriveBits"]);

/** The AES key two parties share: ECDH, then HKDF salted with the round's id. */
const sharedKey = async (
  /** @type {CryptoKey} */ privateKey,
  /** @type {CryptoKey} */ publicKey,
  /** @type {string} */ round,
) => {
  const secret = await subtle.deriveBits({ name: "ECDH", public: publicKey }, privateKey, 256);
  const material = await subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"]);
  return subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: utf8(round), info: HKDF_INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
};

/* ---- Sealing and opening a reply ---------------------------------------------------------- */

/** Seal `code` to the round's public key: the sealed body (base64url). Only the round's
 * private key opens it. */
export const sealReply = async (
  /** @type {string} */ code,
  /** @type {string} */ round,
  /** @type {string} */ publicKey,
) => {
  const organiser = await subtle.importKey("raw", fromBase64url(publicKey), ECDH, false, []);
  const ephemeral = /** @type {CryptoKeyPair} */ (
    await subtle.generateKey(ECDH, true, ["deriveBits"])
  );
  const key = await sharedKey(ephemeral.privateKey, organiser, round);
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const sealed = new Uint8Array(
    await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: utf8(round) }, key, utf8(code)),
  );
  const sender = new Uint8Array(await subtle.exportKey("raw", ephemeral.publicKey));
  const body = new Uint8Array(sender.length + nonce.length + sealed.length);
  body.set(sender, 0);
  body.set(nonce, sender.length);
  body.set(sealed, sender.length + nonce.length);
  return toBase64url(body);
};

/**
 * Open a sealed reply's body (base64url, as assessment/replies.py finds it) with the round's
 * private key: the share code inside, or an Error saying in plain words why not.
 */
export const openReply = async (
  /** @type {string} */ body,
  /** @type {string} */ round,
  /** @type {CryptoKey} */ privateKey,
) => {
  let bytes;
  try {
    bytes = fromBase64url(body);
  } catch {
    throw new Error("this reply is damaged (it holds characters a reply never has)");
  }
  if (bytes.length <= PUBLIC_KEY_BYTES + NONCE_BYTES + 16) {
    throw new Error("this reply is damaged (it was cut short)");
  }
  let sender;
  try {
    sender = await subtle.importKey("raw", bytes.slice(0, PUBLIC_KEY_BYTES), ECDH, false, []);
  } catch {
    throw new Error("this reply is damaged (its sender's key is not a key)");
  }
  const nonce = bytes.slice(PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES + NONCE_BYTES);
  const sealed = bytes.slice(PUBLIC_KEY_BYTES + NONCE_BYTES);
  const key = await sharedKey(privateKey, sender, round);
  try {
    const opened = await subtle.decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: utf8(round) },
      key,
      sealed,
    );
    return new TextDecoder("utf-8", { fatal: true }).decode(opened);
  } catch {
    throw new Error(
      "this reply cannot be opened with this round's key (it was changed on the way, or sealed " +
        "for another round or another copy of this round's key)",
    );
  }
};

/* ---- The key backup ---------------------------------------------------------------------- */

/** The AES key a passphrase stands for, stretched with PBKDF2. */
const passphraseKey = async (
  /** @type {string} */ passphrase,
  /** @type {Uint8Array<ArrayBuffer>} */ salt,
  /** @type {number} */ iterations,
) => {
  const material = await subtle.importKey("raw", utf8(passphrase), "PBKDF2", false, ["deriveKey"]);
  return subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
};

/**
 * The backup of a round's private key: a JSON text to save as a file, the key sealed with the
 * passphrase, the round named so the right backup is found again, and what else describes the
 * round (`about`: its name, its public key..., nothing secret), so another browser can take the
 * round up from the file alone.
 */
export const makeBackup = async (
  /** @type {Uint8Array<ArrayBuffer>} */ pkcs8,
  /** @type {string} */ round,
  /** @type {string} */ passphrase,
  iterations = BACKUP_ITERATIONS,
  /** @type {unknown} */ about = null,
) => {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const key = await passphraseKey(passphrase, salt, iterations);
  // The round and its description are bound to the key: a file edited by hand does not open.
  const bound = utf8(`${BACKUP_INFO}:${round}:${JSON.stringify(about)}`);
  const sealed = await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: bound }, key, pkcs8);
  return JSON.stringify(
    {
      format: BACKUP_INFO,
      round,
      about,
      kdf: { name: "PBKDF2-SHA-256", iterations, salt: toBase64url(salt) },
      nonce: toBase64url(nonce),
      key: toBase64url(new Uint8Array(sealed)),
    },
    null,
    2,
  );
};

/**
 * The private key of a backup file's text, opened with its passphrase (non-extractable), with
 * the round it belongs to; or an Error saying what is wrong (damaged, another kind of file, a
 * wrong passphrase).
 */
export const openBackup = async (/** @type {string} */ text, /** @type {string} */ passphrase) => {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error("this is not a key backup (it is not the JSON file the page saved)");
  }
  if (data?.format !== BACKUP_INFO || typeof data.round !== "string") {
    throw new Error("this is not a key backup of this site's health checks");
  }
  const iterations = data.kdf?.iterations;
  if (!Number.isInteger(iterations) || iterations < 100_000 || iterations > 10_000_000) {
    throw new Error("this key backup is damaged (its settings are not ones the page writes)");
  }
  let salt;
  let nonce;
  let sealed;
  try {
    salt = fromBase64url(data.kdf.salt);
    nonce = fromBase64url(data.nonce);
    sealed = fromBase64url(data.key);
  } catch {
    throw new Error("this key backup is damaged (it holds characters a backup never has)");
  }
  const key = await passphraseKey(passphrase, salt, iterations);
  let pkcs8;
  try {
    pkcs8 = new Uint8Array(
      await subtle.decrypt(
        {
          name: "AES-GCM",
          iv: nonce,
          additionalData: utf8(`${BACKUP_INFO}:${data.round}:${JSON.stringify(data.about ?? null)}`),
        },
        key,
        sealed,
      ),
    );
  } catch {
    throw new Error("the passphrase does not open this key backup (or the file was changed)");
  }
  return { round: data.round, about: data.about ?? null, privateKey: await importPrivateKey(pkcs8) };
};
