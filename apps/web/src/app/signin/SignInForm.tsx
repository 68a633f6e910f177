'use client';
import { useActionState } from 'react';
import { signIn, type SignInState } from './actions';

export function SignInForm({ next, notice }: { next: string; notice: string | null }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, { error: null });
  const error = state.error ?? notice;
  return (
    <form action={action} className="card signin">
      <h1>Sign in</h1>
      <p className="muted">
        Paste an API key of your workspace. <code>npm start</code> prints the demo key as <code>API key: plk_…</code> (it is also in{' '}
        <code>.data/demo-api-key</code>), and a link that signs you in directly.
      </p>
      <label className="field">
        <span>API key</span>
        <input name="key" type="password" autoComplete="off" spellCheck={false} placeholder="plk_…" required autoFocus />
      </label>
      <input type="hidden" name="next" value={next} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={pending}>
        {pending ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}
