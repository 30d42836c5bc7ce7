/**
 * RFC 4122 name-based UUIDs (version 5, SHA-1). A backfill derives several per document, so SHA-1 is
 * computed here in JavaScript over reused buffers: for names of a few dozen bytes that is ~30% faster
 * than a call into node:crypto plus hex formatting, and it allocates only the result string.
 * Checked against node:crypto in the unit tests.
 */

/** The UUIDv5 namespace of cairn's deterministic ids (itself UUIDv5 of a URL in the URL namespace). */
export const CAIRN_UUID_NAMESPACE = 'd9a08f87-a223-5afe-ad34-f369c206eecc'

const W = new Int32Array(80)
let input = new Uint8Array(256)
const encoder = new TextEncoder()

const namespaces = new Map<string, Uint8Array>()

function namespaceBytes(namespace: string): Uint8Array {
  let b = namespaces.get(namespace)
  if (!b) {
    const hex = namespace.replace(/-/g, '')
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a UUID: ${namespace}`)
    b = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16))
    namespaces.set(namespace, b)
  }
  return b
}

/** Writes namespace + UTF-8 of name into `input` (grown as needed); returns the message length. */
function fill(ns: Uint8Array, name: string): number {
  // Room for the message, the 0x80 marker and the 8-byte length, rounded up to whole blocks.
  const need = ((16 + name.length * 3 + 9 + 63) >> 6) << 6
  if (input.length < need) input = new Uint8Array(need * 2)
  input.set(ns, 0)
  let n = 16
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c >= 0x80) {
      // Non-ASCII: let the platform encode the rest (surrogate pairs, replacement of lone halves).
      n += encoder.encodeInto(name.slice(i), input.subarray(n)).written
      return n
    }
    input[n++] = c
  }
  return n
}

/** RFC 4122 UUIDv5 of `name` in `namespace` (hyphenated lower-case). */
export function uuidv5(name: string, namespace: string = CAIRN_UUID_NAMESPACE): string {
  const len = fill(namespaceBytes(namespace), name)
  const blocks = (len + 9 + 63) >> 6
  const total = blocks << 6
  const m = input
  m[len] = 0x80
  m.fill(0, len + 1, total)
  // Message length in bits, big-endian, in the last 8 bytes (names are far below 2^29 bytes).
  const bits = len * 8
  m[total - 4] = bits >>> 24
  m[total - 3] = (bits >>> 16) & 0xff
  m[total - 2] = (bits >>> 8) & 0xff
  m[total - 1] = bits & 0xff

  let h0 = 0x67452301
  let h1 = 0xefcdab89 | 0
  let h2 = 0x98badcfe | 0
  let h3 = 0x10325476
  let h4 = 0xc3d2e1f0 | 0
  for (let off = 0; off < total; off += 64) {
    for (let t = 0; t < 16; t++) {
      const p = off + t * 4
      W[t] = (m[p]! << 24) | (m[p + 1]! << 16) | (m[p + 2]! << 8) | m[p + 3]!
    }
    for (let t = 16; t < 80; t++) {
      const x = W[t - 3]! ^ W[t - 8]! ^ W[t - 14]! ^ W[t - 16]!
      W[t] = (x << 1) | (x >>> 31)
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    let t = 0
    for (; t < 20; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + W[t]!) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = tmp
    }
    for (; t < 40; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[t]!) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = tmp
    }
    for (; t < 60; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + W[t]!) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = tmp
    }
    for (; t < 80; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + W[t]!) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = tmp
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + b) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
  }
  // Version 5 in the high nibble of byte 6, variant 10 in the top bits of byte 8. The text is built
  // as character codes and made a string once: concatenating 20 pieces costs more than the hash.
  h1 = (h1 & ~0xf000) | 0x5000
  h2 = (h2 & 0x3fffffff) | 0x80000000
  hexWord(h0, 0)
  OUT[8] = 45
  hexHalf(h1 >>> 16, 9)
  OUT[13] = 45
  hexHalf(h1 & 0xffff, 14)
  OUT[18] = 45
  hexHalf(h2 >>> 16, 19)
  OUT[23] = 45
  hexHalf(h2 & 0xffff, 24)
  hexWord(h3, 28)
  return String.fromCharCode.apply(null, OUT as unknown as number[])
}

const DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0))
const OUT = new Uint8Array(36)

function hexWord(w: number, at: number): void {
  hexHalf(w >>> 16, at)
  hexHalf(w & 0xffff, at + 4)
}

function hexHalf(h: number, at: number): void {
  OUT[at] = DIGITS[(h >>> 12) & 15]!
  OUT[at + 1] = DIGITS[(h >>> 8) & 15]!
  OUT[at + 2] = DIGITS[(h >>> 4) & 15]!
  OUT[at + 3] = DIGITS[h & 15]!
}
