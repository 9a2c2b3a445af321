import { runTool, ToolError } from './tool.js';

// The few docker CLI calls the images need. The CLI (not dockerode) because the legacy builder
// streams a plain-text build log and `docker import` reads a tar from stdin.

/** dockerd here is 20.10: BuildKit is not available, so every build uses the legacy builder. */
export function dockerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_BUILDKIT: '0' };
}

export interface ImageInfo {
  id: string;
  labels: Record<string, string>;
}

/** The image behind `tag`, or undefined when there is none. Other failures (no daemon) throw. */
export async function inspectImage(tag: string): Promise<ImageInfo | undefined> {
  try {
    const { stdout } = await runTool(['docker', 'image', 'inspect', tag], { env: dockerEnv() });
    const [image] = JSON.parse(stdout) as Array<{
      Id: string;
      Config?: { Labels?: Record<string, string> | null };
    }>;
    if (!image) return undefined;
    return { id: image.Id, labels: image.Config?.Labels ?? {} };
  } catch (error) {
    if (error instanceof ToolError && /no such image/i.test(error.stderr)) return undefined;
    throw error;
  }
}

/** Best effort: a replaced image may still be used by a container, which is fine. */
export async function removeImageQuietly(id: string): Promise<void> {
  await runTool(['docker', 'image', 'rm', id], { env: dockerEnv() }).catch(() => undefined);
}
