import { gzipSync } from 'node:zlib';

/** One member of a test archive. `name` is written verbatim (even `../evil`), as an attacker would. */
export interface TarMember {
  name: string;
  /** File content; ignored for directories and links. */
  data?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink';
  linkName?: string;
  /** Write the name in a pax extended header (how GNU tar and GitHub store names over 100 bytes). */
  pax?: boolean;
}

const BLOCK = 512;

function header(name: string, size: number, flag: string, linkName = ''): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write('00000000000\0', 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(flag, 156, 'ascii');
  h.write(linkName, 157, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/** A ustar archive, gzipped, with a pax global header first (as GitHub's archives have). */
export function makeTarGz(members: readonly TarMember[]): Buffer {
  const parts: Buffer[] = [];
  const global = Buffer.from(paxRecord('comment', 'test-fixture'));
  parts.push(header('pax_global_header', global.length, 'g'), padded(global));
  for (const m of members) {
    const type = m.type ?? 'file';
    const data = type === 'file' ? Buffer.from(m.data ?? '') : Buffer.alloc(0);
    if (m.pax) {
      const record = Buffer.from(paxRecord('path', m.name));
      parts.push(header('PaxHeader', record.length, 'x'), padded(record));
    }
    const flag = type === 'file' ? '0' : type === 'directory' ? '5' : '2';
    parts.push(header(m.pax ? 'placeholder' : m.name, data.length, flag, m.linkName ?? ''));
    if (data.length > 0) parts.push(padded(data));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}
