// Typed errors of the release runtime. They extend the host layer's HostError (they name the
// server) and carry what an operator needs to see: the health answer, the container's last log
// lines, nginx's own message. None of them carries a password: odoo.conf is never echoed and
// container logs are Odoo's own output.
import { HostError } from '../host/errors.js';

/** A release did not answer 200 `{"status": "pass"}` on /web/health in time. Do not route to it. */
export class UnhealthyReleaseError extends HostError {
  override readonly name = 'UnhealthyReleaseError';
  constructor(
    server: string,
    readonly port: number,
    /** HTTP status of the last attempt, or why it got none ("connection refused", ...). */
    readonly lastStatus: number | string,
    /** Body of the last answer (shortened), empty when there was none. */
    readonly lastBody: string,
    /** The container's last log lines (empty when no container was found for the port). */
    readonly logs: string[],
    readonly waitedMs: number,
    readonly container?: string,
  ) {
    const answer = typeof lastStatus === 'number' ? `HTTP ${lastStatus} ${lastBody}`.trim() : lastStatus;
    const tail = logs.length === 0 ? '' : `\nlast log lines of ${container}:\n${logs.join('\n')}`;
    super(
      `release on port ${port} of ${server} was not healthy after ${Math.round(waitedMs / 1000)} s (last answer: ${answer})${tail}`,
      server,
    );
  }
}

/** nginx refused the rendered site (`nginx -t`); the previous site was put back, nothing reloaded. */
export class ProxyConfigError extends HostError {
  override readonly name = 'ProxyConfigError';
  constructor(
    server: string,
    readonly siteFile: string,
    /** What nginx said (stderr of the test command). */
    readonly nginxMessage: string,
    options?: { cause?: unknown },
  ) {
    super(
      `nginx on ${server} rejected ${siteFile}; previous site kept: ${nginxMessage.trim()}`,
      server,
      options,
    );
  }
}

/** The proxy was reloaded but kept answering with the previous site (nginx not running?). */
export class ProxyReloadError extends HostError {
  override readonly name = 'ProxyReloadError';
}

/** No free loopback port pair left in the range (or every retry lost a race). */
export class PortAllocationError extends HostError {
  override readonly name = 'PortAllocationError';
}

/** The release's container does not exist (restart of a release that was never started or removed). */
export class ReleaseContainerNotFoundError extends HostError {
  override readonly name = 'ReleaseContainerNotFoundError';
  constructor(
    server: string,
    readonly container: string,
  ) {
    super(`container ${container} does not exist on ${server}`, server);
  }
}

/** A container with the release's name exists but was not made by ensureReleaseContainer (no port label). */
export class ForeignContainerError extends HostError {
  override readonly name = 'ForeignContainerError';
  constructor(
    server: string,
    readonly container: string,
  ) {
    super(
      `container ${container} on ${server} has no org.cloudwady.port label: it was not made by CloudWady's runtime; remove it`,
      server,
    );
  }
}
