import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';

export const SIGNING_ALG = 'RS256';

/** The issuer's RS256 key: the private half signs tokens, the public half is published as JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function fromPrivateKey(privateKey: CryptoKey): Promise<SigningKey> {
  // The public half of an RSA key is its modulus and exponent.
  const { kty, n, e } = await exportJWK(privateKey);
  const bare: JWK = { kty, n, e };
  // The thumbprint names the key, so a key loaded from a file keeps its kid across restarts.
  const kid = await calculateJwkThumbprint(bare);
  return { kid, privateKey, publicJwk: { ...bare, kid, alg: SIGNING_ALG, use: 'sig' } };
}

/** A fresh key pair, for this process only. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  return fromPrivateKey(privateKey);
}

/**
 * Loads the key from `file` (PKCS#8 PEM or a private JWK as JSON); when the file does not exist,
 * generates a key and writes it there (PKCS#8 PEM, mode 0600), so tokens outlive a restart.
 */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    await mkdir(dirname(file), { recursive: true });
    try {
      await writeFile(file, await exportPKCS8(privateKey), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process created it in the meantime: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return loadSigningKey(file);
}

async function loadSigningKey(file: string): Promise<SigningKey> {
  const text = (await readFile(file, 'utf8')).trim();
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as JWK;
      if (jwk.kty !== 'RSA' || !jwk.d) throw new Error('expected a private RSA JWK (kty "RSA" with "d")');
      const key = await importJWK(jwk, SIGNING_ALG, { extractable: true });
      if (key instanceof Uint8Array) throw new Error('expected an RSA key, not a symmetric one');
      return fromPrivateKey(key);
    }
    if (text.includes('-----BEGIN PRIVATE KEY-----')) {
      return fromPrivateKey(await importPKCS8(text, SIGNING_ALG, { extractable: true }));
    }
    throw new Error('expected a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") or a private JWK as JSON');
  } catch (err) {
    throw new Error(`SANDBOX_OIDC_KEY_FILE ${file} cannot be used as an RS256 signing key: ${(err as Error).message}.`);
  }
}
