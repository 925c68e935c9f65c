import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's `deploy/nats` folder, from src/ or dist/ alike. */
const DEPLOY_DIR = fileURLToPath(new URL('../../../deploy/nats/', import.meta.url));

/**
 * Templates in deploy/nats: the testkit's and the demo's (single, cluster), and the
 * production ones (node, hub, leaf), which the agency-site tests start as they are
 * (docs/decisions/0013).
 */
export type Template = 'single' | 'cluster' | 'node' | 'hub' | 'leaf';

/**
 * Renders `deploy/nats/<template>.conf`, replacing every `{{NAME}}` placeholder
 * outside comments (the comments document the placeholders themselves).
 */
export function renderConfig(template: Template, values: Record<string, string | number>): string {
  const text = readFileSync(`${DEPLOY_DIR}${template}.conf`, 'utf8');
  return text
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('#')
        ? line
        : line.replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
            const value = values[key];
            if (value === undefined) throw new Error(`deploy/nats/${template}.conf: no value for {{${key}}}`);
            return String(value);
          }),
    )
    .join('\n');
}
