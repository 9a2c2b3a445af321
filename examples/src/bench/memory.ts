// Peak memory of this process, which hosts the worker (startLocalEngine runs it in-process, with
// its Rust core and workflow threads), sampled every 100 ms while a phase runs.
export interface RssSampler {
  /** Stops sampling; the largest and the first RSS seen, in bytes, and how many samples. */
  stop(): { peakBytes: number; startBytes: number; samples: number };
}

export function sampleRss(intervalMs = 100): RssSampler {
  const startBytes = process.memoryUsage.rss();
  let peakBytes = startBytes;
  let samples = 1;
  const timer = setInterval(() => {
    peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
    samples++;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
      return { peakBytes, startBytes, samples: samples + 1 };
    },
  };
}
