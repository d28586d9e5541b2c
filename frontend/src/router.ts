//! Which screen a URL shows, and moving between them with the History API.

export type Route =
  | { screen: 'map' }
  | { screen: 'report' }
  | { screen: 'track'; trackingNumber: string | null };

/** The route for a path: `/`, `/report`, `/t`, `/t/{tracking_number}`; anything else is the map. */
export function routeFor(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/report') return { screen: 'report' };
  if (path === '/t') return { screen: 'track', trackingNumber: null };
  const track = /^\/t\/([^/]+)$/.exec(path);
  if (track) return { screen: 'track', trackingNumber: decodeURIComponent(track[1]) };
  return { screen: 'map' };
}

/** What a navigation may carry to the next screen, e.g. where the map should look. */
export interface NavState {
  focus?: { lat: number; lon: number };
}

type Listener = (route: Route, state: NavState) => void;
let listener: Listener | null = null;

/** Starts routing: calls `onRoute` now and after every navigation. */
export function startRouter(onRoute: Listener): void {
  listener = onRoute;
  window.addEventListener('popstate', (e) => onRoute(routeFor(location.pathname), (e.state as NavState) ?? {}));
  // Same-origin links marked data-nav change screens without reloading the page.
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a[data-nav]');
    if (!(a instanceof HTMLAnchorElement) || a.origin !== location.origin) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
  onRoute(routeFor(location.pathname), (history.state as NavState) ?? {});
}

/** Goes to `path` (adding a history entry), optionally carrying `state` to the next screen. */
export function navigate(path: string, state: NavState = {}, replace = false): void {
  if (replace) history.replaceState(state, '', path);
  else history.pushState(state, '', path);
  listener?.(routeFor(location.pathname), state);
}
