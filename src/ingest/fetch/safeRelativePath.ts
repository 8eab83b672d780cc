/**
 * Checks that a path from an untrusted place (an archive member name, a manifest target) is a
 * plain relative path that stays inside the folder it is joined to, and returns it in canonical
 * form (forward slashes, no `./` segments, no trailing slash). Returns null for anything that
 * could escape or is ambiguous across platforms: absolute paths, drive letters, backslashes,
 * `..` segments, NUL bytes, empty names.
 *
 * Why reject instead of normalising `a/../b`: an archive that names such a member was not made by
 * an honest `tar` run, and refusing it is the only answer that cannot be argued with.
 *
 * @example
 * safeRelativePath('./ruccod/train/1.txt'); // 'ruccod/train/1.txt'
 * safeRelativePath('../etc/passwd');        // null
 */
export function safeRelativePath(name: string): string | null {
  if (name.length === 0 || name.includes('\0') || name.includes('\\')) return null;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return null;
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return null;
  if (segments.some((s) => s === '..')) return null;
  return segments.join('/');
}
