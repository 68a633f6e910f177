'use client';
import { PostgreSQL, sql } from '@codemirror/lang-sql';
import { Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import CodeMirror from '@uiw/react-codemirror';
import { useMemo, useRef } from 'react';
import type { SqlEditorProps } from './SqlEditor';

export default function SqlEditorImpl({ value, onChange, schema, onRun }: SqlEditorProps) {
  // Bare column names complete from the first table (most datasets have one); others after `table.`.
  const defaultTable = Object.keys(schema)[0];
  // The keymap is built once; the latest onRun is read through the ref.
  const runRef = useRef(onRun);
  runRef.current = onRun;
  const extensions = useMemo(
    () => [
      // Completion knows the dataset: table names, then `table.` or bare column names.
      sql({ dialect: PostgreSQL, schema, defaultTable, upperCaseKeywords: true }),
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (runRef.current?.(), true) }])),
    ],
    [schema, defaultTable],
  );
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      minHeight="160px"
      maxHeight="420px"
      basicSetup={{ lineNumbers: true, foldGutter: false, highlightActiveLine: true, autocompletion: true }}
      aria-label="SQL"
      data-testid="sql-editor"
    />
  );
}
