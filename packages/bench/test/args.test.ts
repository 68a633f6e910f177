import { describe, expect, it } from 'vitest';
import { parseBenchArgs, parseRows, UsageError } from '../src/index.js';

describe('bench arguments', () => {
  it('parses a full command line', () => {
    const a = parseBenchArgs(['--suite', 'pgstrom_suite', '--rows', '10M', '--engines', 'engine,duckdb', '--runs', '5', '--out', 'x.json', '--post', 'http://localhost:3000/', '--modes', 'hot']);
    expect(a).toMatchObject({ suite: 'pgstrom_suite', rows: 10_000_000, engines: ['engine', 'duckdb'], runs: 5, warmup: 1, modes: ['hot'], out: 'x.json', post: 'http://localhost:3000' });
  });

  it('defaults to all four engines, cold and hot, 3 runs', () => {
    const a = parseBenchArgs(['--suite', 'groupby']);
    expect(a.engines).toEqual(['engine', 'duckdb', 'polars', 'postgres']);
    expect(a.modes).toEqual(['cold', 'hot']);
    expect(a.runs).toBe(3);
    expect(a.rows).toBe(1_000_000);
    expect(a.engineOptions).toEqual({ partitions: null, skipPartial: true });
  });

  it('takes the engine settings issue 6 compares: partitions and partial-aggregation skipping', () => {
    expect(parseBenchArgs(['--suite', 'groupby', '--partitions', '1', '--skip-partial', 'off']).engineOptions).toEqual({ partitions: 1, skipPartial: false });
    expect(() => parseBenchArgs(['--suite', 'groupby', '--partitions', '0'])).toThrow(/--partitions must be an integer ≥ 1/);
    expect(() => parseBenchArgs(['--suite', 'groupby', '--skip-partial', 'maybe'])).toThrow(/--skip-partial: expected on or off/);
  });

  it('reads row counts as people write them', () => {
    expect(parseRows('1k')).toBe(1000);
    expect(parseRows('1e6')).toBe(1_000_000);
    expect(parseRows('100_000_000')).toBe(100_000_000);
    expect(parseRows('2.5M')).toBe(2_500_000);
    expect(() => parseRows('ten')).toThrow(UsageError);
    expect(() => parseRows('0')).toThrow(/positive/);
  });

  it('rejects what it cannot run, naming the choices', () => {
    expect(() => parseBenchArgs([])).toThrow(/--suite is required.*medallion/);
    expect(() => parseBenchArgs(['--suite', 'nope'])).toThrow(/unknown suite "nope"/);
    expect(() => parseBenchArgs(['--suite', 'groupby', '--engines', 'engine,spark'])).toThrow(/unknown spark/);
    expect(() => parseBenchArgs(['--suite', 'groupby', '--runs', '0'])).toThrow(/--runs/);
    expect(() => parseBenchArgs(['--suite', 'groupby', '--modes', 'warm'])).toThrow(/--modes/);
    expect(() => parseBenchArgs(['--suite', 'groupby', '--queries', 'q9'])).toThrow(/q9 not in suite groupby/);
    expect(() => parseBenchArgs(['--suite', 'groupby', '--post', 'not a url'])).toThrow(/--post/);
    expect(() => parseBenchArgs(['--suite', 'groupby', '--bogus'])).toThrow(UsageError);
  });
});
