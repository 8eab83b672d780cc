/**
 * Compiles a member-path glob of the data manifest into an anchored RegExp. `*` matches any run
 * of characters within one path segment, `?` one such character, `**` any run including `/`;
 * everything else is literal. Deliberately small: manifests name members like
 * `data/ruccod_train/*.ann`, and a bigger glob language would only invite surprises.
 *
 * @example
 * globToRegExp('data/*.ann').test('data/12.ann'); // true
 * globToRegExp('data/*.ann').test('data/x/12.ann'); // false
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
