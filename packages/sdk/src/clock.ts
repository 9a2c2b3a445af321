// ISO timestamps that never go backwards within one process, so "newest first" orderings of
// rows written in the same millisecond stay in write order.
let last = 0;

export function nowIso(): string {
  const now = Math.max(Date.now(), last + 1);
  last = now;
  return new Date(now).toISOString();
}
