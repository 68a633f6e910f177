import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/pg/connect.js';

describe('redactUrl', () => {
  it('hides the password in the user info and in password query parameters, and nothing else', () => {
    expect(redactUrl('postgresql://app:s3cret@db.example:5432/phaselab')).toBe('postgresql://app:***@db.example:5432/phaselab');
    expect(redactUrl('postgres://app@db/phaselab?password=s3cret&sslmode=require&sslpassword=k3y')).toBe('postgres://app@db/phaselab?password=***&sslmode=require&sslpassword=***');
    expect(redactUrl('postgres://app@db/phaselab')).toBe('postgres://app@db/phaselab');
    // not parseable as a URL: the same patterns by text
    expect(redactUrl('postgres://app:s3cret@[bad/x?password=s3cret')).not.toContain('s3cret');
  });
});
