import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/codes/I25.2?q=...`): every view and its state is a URL that can be bookmarked
 * and shared, and the server needs no route table (it serves one page at `/`).
 */
export interface Route {
  /** The path segments after `#/` (`['codes', 'I25.2']`). */
  parts: string[];
  params: URLSearchParams;
}

/** Parses a location hash. @example parseHash('#/codes/I25.2?q=x').parts // ['codes', 'I25.2'] */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q === -1 ? body : body.slice(0, q);
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q === -1 ? '' : body.slice(q + 1)) };
}

/** Builds a hash link. @example href(['codes', 'I25.2']) // '#/codes/I25.2' */
export function href(parts: string[], params?: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== '') search.set(k, v);
  const s = search.toString();
  return `#/${parts.map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`;
}

/** The current route, re-rendered on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Replaces the URL's parameters without a new history entry (typing in a box, picking a layer). */
export function replaceParams(parts: string[], params: Record<string, string | undefined>): void {
  history.replaceState(null, '', href(parts, params));
  dispatchEvent(new HashChangeEvent('hashchange'));
}
