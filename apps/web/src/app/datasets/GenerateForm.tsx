'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { GeneratorChoices } from '@/lib/generators';
import { useTRPC } from '@/lib/trpc';

/** dataset.generate: queues a generation; the new dataset's card then shows its progress live. */
export function GenerateForm({ choices }: { choices: GeneratorChoices }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [generator, setGenerator] = useState(choices.generators.includes('sales') ? 'sales' : choices.generators[0]);
  const [name, setName] = useState('');
  const [rows, setRows] = useState(100_000);
  const [seed, setSeed] = useState(42);
  const [format, setFormat] = useState(choices.formats[0]);
  const generate = useMutation(
    trpc.dataset.generate.mutationOptions({
      onSuccess: () => {
        setName('');
        void queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
      },
    }),
  );
  return (
    <form
      className="card generate"
      aria-labelledby="generate-h"
      onSubmit={(e) => {
        e.preventDefault();
        generate.mutate({ name: name.trim() || `${generator}-${rows}`, generator, rows, seed, format: format as 'parquet' });
      }}
    >
      <h2 id="generate-h">Generate a dataset</h2>
      <div className="form-row">
        <label className="field">
          <span>Generator</span>
          <select name="generator" value={generator} onChange={(e) => setGenerator(e.target.value)}>
            {choices.generators.map((g) => (
              <option key={g}>{g}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Name</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} placeholder={`${generator}-${rows}`} pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}" />
        </label>
        <label className="field">
          <span>Rows (fact table)</span>
          <input name="rows" type="number" min={1} max={choices.maxRows} step={1} value={rows} onChange={(e) => setRows(Number(e.target.value))} required />
        </label>
        <label className="field narrow">
          <span>Seed</span>
          <input name="seed" type="number" min={0} step={1} value={seed} onChange={(e) => setSeed(Number(e.target.value))} required />
        </label>
        <label className="field narrow">
          <span>Format</span>
          <select name="format" value={format} onChange={(e) => setFormat(e.target.value)}>
            {choices.formats.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
      </div>
      {generate.error && (
        <p className="error" role="alert">
          {generate.error.message}
        </p>
      )}
      <div className="form-actions">
        <span className="muted small">A worker writes the files; the dataset&apos;s card shows the progress.</span>
        <button type="submit" className="primary" disabled={generate.isPending}>
          {generate.isPending ? 'Queuing…' : 'Generate'}
        </button>
      </div>
    </form>
  );
}
