/**
 * A minimal DER/BER reader (enough for PKCS#12 files): tag-length-value nodes (definite lengths, and the BER
 * indefinite length of constructed values that some exporters write), OIDs, integers, octet strings.
 */

/** One DER tag-length-value node. */
export interface DerNode {
  /** The full identifier octet, e.g. 0x30 for SEQUENCE, 0xa0 for [0] constructed. */
  readonly tag: number;
  /** Whether the constructed bit is set. */
  readonly constructed: boolean;
  /** The content octets. */
  readonly value: Buffer;
}

/** A malformed or unsupported DER structure. */
export class DerError extends Error {}

/** Reads the node at `offset` and the offset after it. Multi-byte tags are refused. */
export function readNode(buf: Buffer, offset = 0, depth = 0): { node: DerNode; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated DER');
  if (depth > 64) throw new DerError('DER nesting too deep');
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported');
  let len = buf[offset + 1] as number;
  let pos = offset + 2;
  if (len === 0x80) {
    if ((tag & 0x20) === 0) throw new DerError('indefinite length on a primitive value');
    let end = pos;
    while (!(buf[end] === 0 && buf[end + 1] === 0)) {
      if (end + 2 > buf.length) throw new DerError('unterminated indefinite-length value');
      end = readNode(buf, end, depth + 1).next;
    }
    return { node: { tag, constructed: true, value: buf.subarray(pos, end) }, next: end + 2 };
  }
  if (len > 0x80) {
    const count = len & 0x7f;
    if (count > 4 || pos + count > buf.length) throw new DerError('bad DER length');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (buf[pos + i] as number);
    pos += count;
  }
  if (pos + len > buf.length) throw new DerError('truncated DER value');
  return { node: { tag, constructed: (tag & 0x20) !== 0, value: buf.subarray(pos, pos + len) }, next: pos + len };
}

/** Parses a whole buffer as exactly one node. */
export function parseNode(buf: Buffer): DerNode {
  const { node, next } = readNode(buf, 0);
  if (next !== buf.length) throw new DerError('trailing bytes after DER value');
  return node;
}

/** The children of a constructed node. */
export function children(node: DerNode): DerNode[] {
  if (!node.constructed) throw new DerError(`tag 0x${node.tag.toString(16)} is not constructed`);
  const out: DerNode[] = [];
  let offset = 0;
  while (offset < node.value.length) {
    const { node: child, next } = readNode(node.value, offset, 1);
    out.push(child);
    offset = next;
  }
  return out;
}

/** The children of a node that must have the given tag. */
export function expect(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (node === undefined || node.tag !== tag) throw new DerError(`expected ${what}`);
  return node;
}

/** Dotted form of an OBJECT IDENTIFIER node. */
export function oid(node: DerNode | undefined): string {
  const n = expect(node, 0x06, 'an OBJECT IDENTIFIER');
  const bytes = n.value;
  if (bytes.length === 0) throw new DerError('empty OID');
  const first = bytes[0] as number;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let acc = 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i] as number;
    acc = acc * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(acc);
      acc = 0;
    }
  }
  return parts.join('.');
}

/** Value of a small non-negative INTEGER node. */
export function integer(node: DerNode | undefined): number {
  const n = expect(node, 0x02, 'an INTEGER');
  if (n.value.length > 6) throw new DerError('INTEGER too large');
  let v = 0;
  for (const b of n.value) v = v * 256 + b;
  return v;
}

/** Content of an OCTET STRING (primitive 0x04, or constructed 0x24 made of primitive chunks). */
export function octets(node: DerNode | undefined): Buffer {
  if (node === undefined) throw new DerError('expected an OCTET STRING');
  return octetContent(node);
}

/** Content octets of a primitive node, or the concatenated chunks of a constructed (BER-style) string. */
export function octetContent(node: DerNode): Buffer {
  if (!node.constructed) return node.value;
  return Buffer.concat(children(node).map((c) => octetContent(c)));
}
