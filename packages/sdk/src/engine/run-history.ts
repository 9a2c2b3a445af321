// Pure readers of Temporal's records of a run: the visibility query of a history filter, the
// seed's status badge of an execution, and the steps of a run from its history events.
import type { RunQuery, RunStatus, RunStep, StepStatus } from '../operations.js';

/** Search attributes every run carries (registered on the Temporal server). */
export const RUN_ATTRIBUTES = [
  'AppId',
  'ProjectId',
  'Operation',
  'Actor',
  'Environment',
  'RunPhase',
] as const;

/** Temporal's execution status names, as visibility queries spell them. */
const EXECUTION_STATUS: Record<RunStatus, string[]> = {
  pending: ['Running'],
  executing: ['Running'],
  completed: ['Completed'],
  failed: ['Failed', 'TimedOut', 'Terminated'],
  canceled: ['Canceled'],
};

// Values reach the query only after schema validation (ids, verbs, ISO times); quoting is the
// second line of defence: a quote inside a value is doubled, as Temporal's SQL-like syntax wants.
const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
const anyOf = (field: string, values: string[]) =>
  values.length === 1
    ? `${field} = ${quote(values[0] as string)}`
    : `${field} IN (${values.map(quote).join(', ')})`;

/** The visibility query of an app's history filter. */
export function runsQuery(query: Omit<RunQuery, 'pageSize' | 'pageToken'>): string {
  const parts = [anyOf('AppId', [query.appId])];
  if (query.operation?.length) parts.push(anyOf('Operation', query.operation));
  if (query.from) parts.push(`StartTime >= ${quote(new Date(query.from).toISOString())}`);
  if (query.to) parts.push(`StartTime <= ${quote(new Date(query.to).toISOString())}`);
  if (query.status?.length) {
    const clauses = query.status.map((status) => {
      const execution = anyOf('ExecutionStatus', EXECUTION_STATUS[status]);
      if (status === 'pending') return `(${execution} AND RunPhase = 'Pending')`;
      if (status === 'executing') return `(${execution} AND RunPhase = 'Executing')`;
      return `(${execution})`;
    });
    parts.push(`(${clauses.join(' OR ')})`);
  }
  return parts.join(' AND ');
}

/** The seed's badge of an execution: Temporal's status plus the run's phase while it runs. */
export function runStatus(executionStatus: string, runPhase: string | undefined): RunStatus {
  switch (executionStatus) {
    case 'RUNNING':
      return runPhase === 'Executing' ? 'executing' : 'pending';
    case 'COMPLETED':
      return 'completed';
    case 'CANCELLED':
    case 'CANCELED':
      return 'canceled';
    default:
      return 'failed';
  }
}

export const isFinished = (status: RunStatus) =>
  status === 'completed' || status === 'failed' || status === 'canceled';

/** Readable names of the steps (activities) operations are made of. */
export const STEP_LABELS: Record<string, string> = {
  loadApp: 'Load app',
  loadRelease: 'Load release',
  setAppState: 'Set app state',
  fetchSource: 'Fetch source',
  changedModules: 'Find changed modules',
  buildImage: 'Build image',
  writeReleaseConfig: 'Write odoo.conf',
  initDatabase: 'Create database',
  updateModules: 'Update modules',
  startRelease: 'Start release',
  waitHealthy: 'Wait for /web/health',
  route: 'Route URLs',
  restartRelease: 'Restart service',
  stopRelease: 'Stop release',
  recordRelease: 'Record release',
  makeCurrent: 'Make release current',
  removeInstance: 'Remove instance',
};

/** A history event reduced to what step reading needs (decoded payloads included). */
export interface StepEvent {
  kind: 'scheduled' | 'started' | 'completed' | 'failed' | 'timed_out' | 'canceled';
  /** The scheduled event's id: every event of one step shares it. */
  stepId: string;
  at: number;
  activity?: string;
  attempt?: number;
  /** Decoded activity result (completed) or failure details (failed). */
  output?: unknown;
  failure?: string;
}

/** A step still running, as `describe` reports it (heartbeats carry its last log line). */
export interface PendingStep {
  stepId?: string;
  activity: string;
  attempt: number;
  startedAt: number | null;
  lastFailure?: string;
}

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

const logOf = (output: unknown): string[] => {
  const log = (output as { log?: unknown } | null | undefined)?.log;
  return Array.isArray(log) ? log.map(String) : [];
};

/** The steps of a run, in the order they were scheduled. */
export function readSteps(
  events: StepEvent[],
  pending: PendingStep[],
  serverId: string | null,
  now: number,
): RunStep[] {
  const steps = new Map<string, RunStep & { startedMs: number | null }>();
  const terminal: Record<string, StepStatus> = {
    completed: 'completed',
    failed: 'failed',
    timed_out: 'timed_out',
    canceled: 'canceled',
  };
  for (const event of events) {
    if (event.kind === 'scheduled') {
      const name = event.activity ?? 'activity';
      steps.set(event.stepId, {
        name,
        label: STEP_LABELS[name] ?? name,
        serverId,
        status: 'scheduled',
        attempts: 0,
        startedAt: null,
        startedMs: null,
        completedAt: null,
        durationMs: null,
        log: [],
      });
      continue;
    }
    const step = steps.get(event.stepId);
    if (!step) continue;
    if (event.kind === 'started') {
      step.status = 'running';
      step.attempts = event.attempt ?? 1;
      step.startedMs = event.at;
      step.startedAt = iso(event.at);
      continue;
    }
    step.status = terminal[event.kind] ?? 'failed';
    step.completedAt = iso(event.at);
    step.durationMs = step.startedMs === null ? null : event.at - step.startedMs;
    step.log = logOf(event.output);
    if (event.failure) step.failure = event.failure;
  }
  // Temporal writes a retried step's Started event only when it ends: describe knows it now.
  const running = [...steps.values()].filter((step) => step.status === 'scheduled');
  for (const step of running) {
    const live = pending.find((p) => p.activity === step.name);
    if (!live) continue;
    step.status = live.startedAt ? 'running' : 'scheduled';
    step.attempts = live.attempt;
    step.startedAt = iso(live.startedAt);
    step.durationMs = live.startedAt ? now - live.startedAt : null;
    if (live.lastFailure) step.failure = live.lastFailure;
  }
  return [...steps.values()].map(({ startedMs: _, ...step }) => step);
}

/** The run's whole log: each step's output under a header, then the failure. */
export function runLog(steps: RunStep[], failure: string | undefined): string[] {
  const lines: string[] = [];
  for (const step of steps) {
    const took = step.durationMs === null ? '' : ` (${(step.durationMs / 1000).toFixed(1)} s)`;
    const attempts = step.attempts > 1 ? `, ${step.attempts} attempts` : '';
    lines.push(`▸ ${step.label}: ${step.status}${took}${attempts}`);
    for (const line of step.log) lines.push(`  ${line}`);
    if (step.failure) lines.push(`  ✗ ${step.failure}`);
  }
  if (failure) lines.push(`✗ ${failure}`);
  return lines;
}
