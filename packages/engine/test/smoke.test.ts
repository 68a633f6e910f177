import { describe, it, expect } from 'vitest';
import { typeName, decimal } from '../src/types/data-type.js';
describe('types', () => { it('names decimals as PostgreSQL does', () => { expect(typeName(decimal(15, 2))).toBe('numeric(15,2)'); }); });
