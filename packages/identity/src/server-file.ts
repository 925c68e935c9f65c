import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** What a running exchange tells local tools: where it is, its CA, whether it is open. */
export const ServerFileSchema = z.object({
  url: z.string().min(1),
  ca: z.string().optional(),
  /** An open development broker (anonymous connections, no permissions). */
  open: z.boolean().optional(),
});
export type ServerFile = z.infer<typeof ServerFileSchema>;

/** `<home>/server.json`, written by `pnpm start -- --serve` for the CLI. */
export function readServerFile(home: string): ServerFile | undefined {
  const file = join(home, 'server.json');
  if (!existsSync(file)) return undefined;
  return ServerFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function writeServerFile(home: string, s: ServerFile): void {
  writeFileSync(join(home, 'server.json'), `${JSON.stringify(s)}\n`);
}
