import { gateUnreachable } from './ask-gate.js';

/** A signed plan as the gate gave it, and when. */
export interface CachedPlan {
  /** The gate's compact JWS (verified again each time it is used). */
  statement: string;
  at: number;
}

/**
 * Where the SDK keeps the gate's signed plans, by request, for sealing while the gate
 * cannot be reached. The gate decides again from its own policy when the notice arrives
 * and strips what a recipient may no longer have; a cached plan only chooses whom the
 * sender wraps keys for (docs/decisions/0013).
 */
export interface PlanCache {
  get(request: string): CachedPlan | undefined;
  set(request: string, plan: CachedPlan): void;
}

/**
 * Plans in memory, each usable for `maxAgeMs` (default one hour) after the gate signed
 * it; bounded to `maxEntries` requests (the oldest goes first).
 */
export class MemoryPlanCache implements PlanCache {
  private readonly plans = new Map<string, CachedPlan>();

  constructor(
    private readonly maxAgeMs = 3_600_000,
    private readonly maxEntries = 256,
  ) {}

  get(request: string): CachedPlan | undefined {
    const p = this.plans.get(request);
    return p && Date.now() - p.at <= this.maxAgeMs ? p : undefined;
  }

  set(request: string, plan: CachedPlan): void {
    this.plans.delete(request);
    this.plans.set(request, plan);
    if (this.plans.size > this.maxEntries) this.plans.delete(this.plans.keys().next().value!);
  }
}

/** Asks the gate; keeps a signed plan; answers from the cache only when the gate cannot be reached. */
export async function askOrCached(
  cache: PlanCache | undefined,
  request: string,
  ask: (request: string, fallback: boolean) => Promise<string>,
): Promise<string> {
  try {
    // With a plan to fall back on, the gate is asked once; without one, until it answers.
    const text = await ask(request, cache?.get(request) !== undefined);
    if (cache && !text.startsWith('{')) cache.set(request, { statement: text, at: Date.now() });
    return text;
  } catch (err) {
    const cached = cache && gateUnreachable(err) ? cache.get(request) : undefined;
    if (!cached) throw err;
    return cached.statement;
  }
}
