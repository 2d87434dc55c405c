/** Benchmark servers report their CPU time (µs, user + system) on SIGUSR2, for µs per request. */
export function reportCpuOnSignal(): void {
  process.on('SIGUSR2', () => {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`CPU ${user + system}\n`);
  });
}
