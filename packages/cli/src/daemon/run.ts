/** Resolves at the first SIGINT or SIGTERM. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * Waits for SIGINT/SIGTERM, then stops; a second signal while stopping exits at once. When `failed` resolves first
 * (the daemon stopped itself), it stops what is left and throws that error.
 */
export async function runUntilSignal(stop: () => Promise<void>, failed?: Promise<Error>): Promise<void> {
  const first = await Promise.race([untilStopSignal().then(() => undefined), failed ?? new Promise<never>(() => undefined)]);
  const force = () => process.exit(1);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  await stop();
  if (first) throw first;
}
