// The sealing module (docs/javascripts/seal.js) with JSON in and out, for tests/test_seal.py:
// keys travel as the PKCS#8 bytes of a backup would, in base64url.
import * as seal from "../../docs/javascripts/seal.js";

export const roundKeys = async () => {
  const keys = await seal.makeRoundKeys();
  return { publicKey: keys.publicKey, pkcs8: seal.toBase64url(keys.pkcs8) };
};

export const sealReply = (code, round, publicKey) => seal.sealReply(code, round, publicKey);

export const openReply = async (body, round, pkcs8) => {
  try {
    const key = await seal.importPrivateKey(seal.fromBase64url(pkcs8));
    return { code: await seal.openReply(body, round, key) };
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
};

export const makeBackup = (pkcs8, round, passphrase, iterations, about) =>
  seal.makeBackup(seal.fromBase64url(pkcs8), round, passphrase, iterations, about);

// Opens the backup, then proves the key it holds opens `body` (a reply sealed to the round).
export const openBackupAndReply = async (text, passphrase, body) => {
  try {
    const { round, about, privateKey } = await seal.openBackup(text, passphrase);
    return { round, about, code: await seal.openReply(body, round, privateKey) };
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
};
