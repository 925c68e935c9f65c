/** What `/readyz` answers. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

/** A named readiness check; a check that throws counts as failed. */
export type Check = () => boolean | Promise<boolean>;

/**
 * Runs every check at once and reports each by name; ready when all pass. Names say
 * what is wrong (`connected`, `streams`, `evidence`), never which notice or person.
 */
export function readinessOf(checks: Record<string, Check>): () => Promise<Readiness> {
  return async () => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          return [name, (await check()) === true] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    return { ready: entries.every(([, ok]) => ok), checks: Object.fromEntries(entries) };
  };
}
