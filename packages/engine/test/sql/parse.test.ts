import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import { byteToCharOffset, loadParser, parseSql } from '../../src/sql/parse.js';

beforeAll(loadParser);

describe('parseSql', () => {
  it('returns one node per statement', () => {
    const stmts = parseSql('select 1; select 2');
    expect(stmts).toHaveLength(2);
    expect(Object.keys(stmts[0])).toEqual(['SelectStmt']);
    expect(parseSql('   ')).toEqual([]);
  });
  it('converts syntax errors to EngineError with the parser message and position', () => {
    let err: unknown;
    try { parseSql('select a fromm t where'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'syntax_error', message: 'syntax error at or near "t"', position: 15 });
    expect(() => parseSql('selec 1')).toThrow('syntax error at or near "selec"');
    try { parseSql('select * from t where'); } catch (e) { err = e; }
    expect(err).toMatchObject({ message: 'syntax error at end of input', position: 21 });
    try { parseSql("select 'é' fromm t"); } catch (e) { err = e; }
    expect(err).toMatchObject({ message: 'syntax error at or near "t"', position: 17 });
  });
  it('maps UTF-8 byte offsets to string offsets', () => {
    expect(byteToCharOffset('abc', 2)).toBe(2);
    expect(byteToCharOffset("'é' x", 5)).toBe(4);
    expect(byteToCharOffset('😀x', 4)).toBe(2);
  });
});
