import { useEffect, useState } from 'preact/hooks';

/** Every page's state lives in the query string, so each view is a link that can be shared. */
export type UrlState = Record<string, string>;

function read(): UrlState {
  return Object.fromEntries(new URLSearchParams(location.search));
}

export function href(state: UrlState): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v !== '') params.set(k, v);
  const qs = params.toString();
  return `${location.pathname}${qs === '' ? '' : `?${qs}`}`;
}

export function navigate(state: UrlState, replace = false): void {
  const url = href(state);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event('infertrace:navigate'));
}

export function useUrlState(): UrlState {
  const [state, setState] = useState(read);
  useEffect(() => {
    const update = () => setState(read());
    window.addEventListener('popstate', update);
    window.addEventListener('infertrace:navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('infertrace:navigate', update);
    };
  }, []);
  return state;
}

/** Follows a link inside the console without reloading the page. */
export function onLink(state: UrlState) {
  return (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(state);
  };
}
