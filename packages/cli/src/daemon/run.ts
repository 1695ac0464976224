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

/** Waits for SIGINT/SIGTERM, then stops; a second signal while stopping exits at once. */
export async function runUntilSignal(stop: () => Promise<void>): Promise<void> {
  await untilStopSignal();
  const force = () => process.exit(1);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  await stop();
}
