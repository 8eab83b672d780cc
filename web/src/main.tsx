import { render } from 'preact';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { href, useRoute } from './router.js';
import type { Route } from './router.js';
import { Loading } from './ui.js';

/**
 * The explorer's shell: the navigation and the current view. Each view is its own lazily loaded
 * chunk (esbuild code splitting), so the first page loads only the shell and one view.
 */
const VIEWS: { path: string; label: string; load: () => Promise<{ default: ComponentType<{ route: Route }> }> }[] = [
  { path: 'codes', label: 'Code browser', load: () => import('./views/CodeBrowser.js') },
  { path: 'playground', label: 'Coding playground', load: () => import('./views/Playground.js') },
  { path: 'evaluate', label: 'Evaluation workbench', load: () => import('./views/Workbench.js') },
  { path: 'transitions', label: 'Transitions', load: () => import('./views/Transitions.js') },
  { path: 'patients', label: 'Patients', load: () => import('./views/Patients.js') },
];

function App() {
  const route = useRoute();
  const view = VIEWS.find((v) => v.path === route.parts[0]) ?? VIEWS[0]!;
  const [loaded, setLoaded] = useState<{ path: string; View: ComponentType<{ route: Route }> } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setFailed(null);
    view.load().then(
      (m) => live && setLoaded({ path: view.path, View: m.default }),
      () => live && setFailed(view.label),
    );
    document.title = `${view.label} · ICD-KG explorer`;
    return () => void (live = false);
  }, [view]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header>
        <span class="brand">ICD-KG</span>
        <nav aria-label="Views">
          {VIEWS.map((v) => (
            <a key={v.path} href={href([v.path])} aria-current={v === view ? 'page' : undefined}>
              {v.label}
            </a>
          ))}
          <a href="/graphql">GraphQL</a>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {failed ? (
          <div class="error" role="alert">The {failed} view could not be loaded; reload the page.</div>
        ) : loaded && loaded.path === view.path ? (
          <loaded.View route={route} />
        ) : (
          <Loading what={view.label.toLowerCase()} />
        )}
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
root.textContent = ''; // the no-JavaScript placeholder
render(<App />, root);
