'use client';
import dynamic from 'next/dynamic';

export interface SqlEditorProps {
  value: string;
  onChange: (v: string) => void;
  /** table name → column names, for completion */
  schema: Record<string, string[]>;
  /** Ctrl/Cmd-Enter */
  onRun?: () => void;
}

/** CodeMirror 6 with PostgreSQL highlighting and schema-aware completion; loaded in the browser only. */
export const SqlEditor = dynamic<SqlEditorProps>(() => import('./SqlEditorImpl'), {
  ssr: false,
  loading: () => <div className="editor-placeholder muted">Loading editor…</div>,
});
