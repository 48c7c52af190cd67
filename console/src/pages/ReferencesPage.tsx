import { useState } from 'preact/hooks';
import { api, apiOrNull } from '../api';
import { Empty, Failure, Loading } from '../components/Empty';
import { localTime } from '../format';
import { useData } from '../use-data';
import { ModelForm } from './ModelForm';
import type { UrlState } from '../url-state';

/** Page 6: what each model is compared with, and uploading a training profile (CSV or JSON). */
interface ReferenceDescription {
  model: string;
  version: string | null;
  kind: string;
  createdAt: string;
  rows?: number;
  features: { name: string; type: string; count: number; missing: number }[];
}

export function ReferencesPage(props: { state: UrlState }) {
  const s = props.state;
  return (
    <section>
      <h1>References</h1>
      <ModelForm state={s} />
      {s.model === undefined ? (
        <Empty>Pick a model to see its reference and upload a training profile.</Empty>
      ) : (
        <ReferenceView model={s.model} />
      )}
    </section>
  );
}

function ReferenceView(props: { model: string }) {
  const [generation, setGeneration] = useState(0);
  const path = `/api/models/${encodeURIComponent(props.model)}/reference`;
  const { data, error, loading } = useData(() => apiOrNull<ReferenceDescription>(path), [path, generation]);
  const [uploadError, setUploadError] = useState<unknown>(undefined);
  const [version, setVersion] = useState('');
  const upload = async (e: Event) => {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector<HTMLInputElement>('input[type=file]')!;
    const file = input.files?.[0];
    if (file === undefined) return;
    const type = file.name.toLowerCase().endsWith('.json') ? 'application/json' : 'text/csv';
    try {
      await api(path, { version }, { method: 'POST', headers: { 'content-type': type }, body: await file.text() });
      setUploadError(undefined);
      setGeneration((g) => g + 1);
    } catch (err) {
      setUploadError(err);
    }
  };
  return (
    <div>
      {loading && <Loading />}
      {error !== undefined && <Failure error={error} />}
      {!loading && error === undefined && data === null && (
        <Empty>Model {props.model} has no stored reference: it is compared with the previous window.</Empty>
      )}
      {data !== undefined && data !== null && (
        <div data-testid="reference">
          <p>
            {props.model}
            {data.version === null ? '' : ` version ${data.version}`} is compared with a <strong>{data.kind}</strong>{' '}
            reference
            {data.rows === undefined ? '' : ` of ${data.rows} rows`}, stored{' '}
            <span title={data.createdAt}>{localTime(Date.parse(data.createdAt))}</span>.
          </p>
          <table>
            <thead>
              <tr>
                <th>feature</th>
                <th>type</th>
                <th>values</th>
                <th>missing</th>
              </tr>
            </thead>
            <tbody>
              {data.features.map((f) => (
                <tr>
                  <td>{f.name}</td>
                  <td>{f.type}</td>
                  <td>{f.count}</td>
                  <td>{f.missing}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Upload a training profile</h2>
      <form class="upload" onSubmit={upload}>
        <input type="file" name="profile" accept=".csv,.json,text/csv,application/json" />
        <label>
          Version (empty: every version){' '}
          <input
            name="version"
            value={version}
            size={8}
            onInput={(e) => setVersion((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Upload</button>
      </form>
      {uploadError !== undefined && <Failure error={uploadError} />}
    </div>
  );
}
