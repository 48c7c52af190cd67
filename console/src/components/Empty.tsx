import type { ComponentChildren } from 'preact';

/** What to show when there is nothing yet, saying what to do about it. */
export function Empty(props: { children: ComponentChildren }) {
  return <div class="empty">{props.children}</div>;
}

export function Failure(props: { error: unknown }) {
  const message = props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <div class="failure" role="alert">
      {message}
    </div>
  );
}

export function Loading() {
  return <div class="loading">Loading…</div>;
}
