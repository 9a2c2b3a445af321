// The build fingerprint: a digest of everything that decides what an image contains. Same
// inputs, same fingerprint, so an image with that fingerprint's tag can be reused as is.
import { createHash } from 'node:crypto';

export interface FingerprintParts {
  /** The commit whose tree is copied into the image. */
  commitSha: string;
  /** The rendered Dockerfile (base image, packages, template version). */
  dockerfile: string;
  /** Any other settings that change the image (the caller decides what goes in). */
  buildConfig: Record<string, unknown>;
  /** The base image's id (sha256:...) on the server, so a changed base gives a new image. */
  baseImageId?: string;
}

/** Bumped if the fingerprint's own format changes. */
const FORMAT = 'cloudwady-build/1';

/**
 * JSON with the keys of every object sorted, so key order never changes the text. Values that
 * JSON cannot represent faithfully (functions, symbols, bigints, non-finite numbers) are refused
 * rather than silently dropped or turned into null.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (key, item: unknown) => {
    const where = key === '' ? 'value' : `"${key}"`;
    if (typeof item === 'function' || typeof item === 'symbol' || typeof item === 'bigint') {
      throw new TypeError(`buildConfig ${where} is a ${typeof item}, which has no JSON form`);
    }
    if (typeof item === 'number' && !Number.isFinite(item)) {
      throw new TypeError(`buildConfig ${where} is ${item}, which has no JSON form`);
    }
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const proto = Object.getPrototypeOf(item);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(
          `buildConfig ${where} is a ${proto?.constructor?.name ?? 'class instance'}, not plain data`,
        );
      }
      const record = item as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(record)
          .sort()
          .map((k) => [k, record[k]]),
      );
    }
    return item;
  });
}

/** sha256 (hex) of the canonical JSON of the parts. */
export function buildFingerprint(parts: FingerprintParts): string {
  const { commitSha, dockerfile, buildConfig, baseImageId } = parts;
  if (typeof commitSha !== 'string' || typeof dockerfile !== 'string') {
    throw new TypeError('commitSha and dockerfile must be strings');
  }
  if (buildConfig === null || typeof buildConfig !== 'object' || Array.isArray(buildConfig)) {
    throw new TypeError('buildConfig must be an object');
  }
  const text = canonicalJson({
    format: FORMAT,
    commitSha,
    dockerfile,
    buildConfig,
    ...(baseImageId === undefined ? {} : { baseImageId }),
  });
  return createHash('sha256').update(text).digest('hex');
}
