import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A service's own metrics registry (never prom-client's global one, so two services
 * in one process — the sandbox, tests — do not mix), with the process metrics
 * (CPU, memory, event-loop lag, handles) and a `service` label on every series.
 * Labels carry agency ids, codes and stream names only: never notice content or names.
 */
export function serviceRegistry(service: string, instance?: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(instance ? { service, instance } : { service });
  collectDefaultMetrics({ register: registry, prefix: 'liaison_' });
  return registry;
}
