// Typed failures of the image build that the user must fix (a wrong branch, a repository the
// server cannot reach, a Dockerfile step that fails). They carry `userError: true` so the
// worker maps them to non-retryable failures: retrying would fail the same way.

/** Base class: the build cannot succeed until the user changes something. */
export class BuildUserError extends Error {
  /** Marks a failure that retrying cannot fix (map it to a non-retryable ApplicationFailure). */
  readonly userError = true as const;
  constructor(
    message: string,
    /** Stable machine-readable reason. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type SourceErrorCode =
  | 'INVALID_SOURCE'
  | 'REPOSITORY_UNAVAILABLE'
  | 'BRANCH_NOT_FOUND'
  | 'COMMIT_NOT_FOUND';

/** The app's source cannot be fetched: bad repository/branch, unreachable remote, no such branch. */
export class SourceError extends BuildUserError {
  override readonly name = 'SourceError';
  constructor(
    message: string,
    override readonly code: SourceErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, code, options);
  }
}

/** How many build output lines an ImageBuildError keeps. */
export const BUILD_ERROR_LINES = 50;

/** `docker build` failed (a step exited non-zero, the base image is missing, ...). */
export class ImageBuildError extends BuildUserError {
  override readonly name = 'ImageBuildError';
  constructor(
    /** What Docker reported (the errorDetail message). */
    readonly reason: string,
    /** The last build output lines (at most BUILD_ERROR_LINES), where the cause usually is. */
    readonly lines: string[],
    options?: { cause?: unknown },
  ) {
    const tail = lines.slice(-15).join('\n');
    super(`image build failed: ${reason}${tail === '' ? '' : `\n${tail}`}`, 'IMAGE_BUILD_FAILED', options);
  }
}
