// 32-bit FNV-1a over the UTF-8 bytes of a string: fast, stable across processes and
// platforms, and good enough to spread keys evenly (it is not cryptographic).

const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

export function fnv1a32(text) {
  let hash = OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(String(text))) {
    hash ^= byte;
    hash = Math.imul(hash, PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** A short, stable fingerprint of a config document, used as its etag. */
export function configEtag(config) {
  return fnv1a32(JSON.stringify(config)).toString(16).padStart(8, '0');
}
