import { RANGES } from '../format';
import { navigate, type UrlState } from '../url-state';

/** The time range of a page (`range=` in the URL), ending now. */
export function RangePicker(props: { state: UrlState; fallback?: string }) {
  const value = props.state.range ?? props.fallback ?? '1h';
  return (
    <label class="picker">
      Range{' '}
      <select
        name="range"
        value={value}
        onChange={(e) => navigate({ ...props.state, range: (e.target as HTMLSelectElement).value })}
      >
        {Object.keys(RANGES).map((r) => (
          <option value={r}>last {r}</option>
        ))}
      </select>
    </label>
  );
}
