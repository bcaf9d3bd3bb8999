// Preloaded (node --import) into a measured process: writes its own resource usage (CPU time,
// peak resident memory) as JSON to $SLOFORGE_USAGE_FILE when it exits, so a benchmark can time a
// real CLI run without depending on GNU time.
import { writeFileSync } from 'node:fs';

const file = process.env.SLOFORGE_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKiB: u.maxRSS }));
  });
}
