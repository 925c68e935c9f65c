// Writes the JSON Schema of every notice kind and of the markings next to the
// proto contracts (proto/schemas/), for clients in other languages.
// Run: pnpm schemas:gen. A test fails when the checked-in files are stale.
import { writeFileSync } from 'node:fs';
import { bodyJsonSchema, markingsJsonSchema, NOTICE_KINDS } from '@liaison/notice';

const dir = new URL('../../../proto/schemas/', import.meta.url);
for (const kind of NOTICE_KINDS) {
  writeFileSync(new URL(`${kind}.json`, dir), `${JSON.stringify(bodyJsonSchema(kind), null, 2)}\n`);
}
writeFileSync(new URL('markings.json', dir), `${JSON.stringify(markingsJsonSchema(), null, 2)}\n`);
