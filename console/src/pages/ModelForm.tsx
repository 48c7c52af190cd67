import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { navigate, type UrlState } from '../url-state';

/** The model box of a page (`model=` in the URL), with the page's other pickers beside it. */
export function ModelForm(props: { state: UrlState; submit?: string; children?: ComponentChildren }) {
  const [model, setModel] = useState(props.state.model ?? '');
  return (
    <form
      class="pickers"
      onSubmit={(e) => {
        e.preventDefault();
        navigate({ ...props.state, model });
      }}
    >
      <label>
        Model <input name="model" value={model} onInput={(e) => setModel((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit">{props.submit ?? 'Show'}</button>
      {props.children}
    </form>
  );
}
