import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { setToken, token, unauthorized } from './api';
import { AccuracyPage } from './pages/AccuracyPage';
import { AlertsPage } from './pages/AlertsPage';
import { DriftPage } from './pages/DriftPage';
import { ModelsPage } from './pages/ModelsPage';
import { ReferencesPage } from './pages/ReferencesPage';
import { RelationshipsPage } from './pages/RelationshipsPage';
import { RequestPage } from './pages/RequestPage';
import './styles.css';
import { href, onLink, useUrlState, type UrlState } from './url-state';

/** The console: a nav bar and the page named by `view=` in the URL. */
const PAGES = [
  { view: 'request', title: 'Find a request' },
  { view: 'models', title: 'Models' },
  { view: 'drift', title: 'Drift' },
  { view: 'accuracy', title: 'Accuracy' },
  { view: 'relationships', title: 'Relationships' },
  { view: 'alerts', title: 'Alerts' },
  { view: 'references', title: 'References' },
] as const;

function Page(props: { state: UrlState }) {
  switch (props.state.view) {
    case 'models':
    case 'model':
      return <ModelsPage state={props.state} />;
    case 'drift':
      return <DriftPage state={props.state} />;
    case 'accuracy':
      return <AccuracyPage state={props.state} />;
    case 'relationships':
      return <RelationshipsPage state={props.state} />;
    case 'alerts':
      return <AlertsPage state={props.state} />;
    case 'references':
      return <ReferencesPage state={props.state} />;
    default:
      return <RequestPage state={props.state} />;
  }
}

/** Asked once per browser session when the collector wants a token (it is kept in sessionStorage). */
function TokenPrompt(props: { onDone: () => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="token"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value.trim());
        props.onDone();
      }}
    >
      <p>The collector asks for a token. It is kept for this browser tab only.</p>
      <label>
        Token{' '}
        <input
          name="token"
          type="password"
          autocomplete="off"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">Use token</button>
    </form>
  );
}

function App() {
  const state = useUrlState();
  const [askToken, setAskToken] = useState(false);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const ask = () => setAskToken(true);
    unauthorized.addEventListener('unauthorized', ask);
    return () => unauthorized.removeEventListener('unauthorized', ask);
  }, []);
  const current = state.view === 'model' ? 'models' : (state.view ?? 'request');
  return (
    <>
      <header>
        <a class="brand" href={href({})} onClick={onLink({})}>
          infertrace
        </a>
        <nav>
          {PAGES.map((p) => (
            <a
              class={p.view === current ? 'active' : ''}
              href={href({ view: p.view })}
              onClick={onLink({ view: p.view })}
            >
              {p.title}
            </a>
          ))}
        </nav>
        {token() !== null && (
          <button
            class="signout"
            onClick={() => {
              setToken(null);
              setGeneration((g) => g + 1);
            }}
          >
            Forget token
          </button>
        )}
      </header>
      <main key={generation}>
        {askToken ? (
          <TokenPrompt
            onDone={() => {
              setAskToken(false);
              setGeneration((g) => g + 1);
            }}
          />
        ) : (
          <Page state={state} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
