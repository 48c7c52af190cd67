import { useEffect, useState } from 'preact/hooks';

/** Loads data for a page and re-loads when the inputs change; the latest request wins. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

export function useData<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => current && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return state;
}
