import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyJsonSchema, markingsJsonSchema, NOTICE_KINDS } from '../src/index.js';

const dir = new URL('../../../proto/schemas/', import.meta.url);

describe('JSON Schema export', () => {
  it.each(NOTICE_KINDS)('proto/schemas/%s.json is up to date (run pnpm schemas:gen)', (kind) => {
    const onDisk = JSON.parse(readFileSync(new URL(`${kind}.json`, dir), 'utf8'));
    expect(onDisk).toEqual(bodyJsonSchema(kind));
  });

  it('carries the personal marks into the JSON Schema', () => {
    const schema = bodyJsonSchema('border-alert') as { properties: Record<string, { personal?: boolean }> };
    expect(schema.properties.person?.personal).toBe(true);
    expect(schema.properties.crossingPoint?.personal).toBe(false);
  });

  it('proto/schemas/markings.json is up to date', () => {
    expect(JSON.parse(readFileSync(new URL('markings.json', dir), 'utf8'))).toEqual(markingsJsonSchema());
  });
});
