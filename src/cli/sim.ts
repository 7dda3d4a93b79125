import { writeFileSync } from 'node:fs';
import { runSim } from './runSim';

// Node entry of the command line: the same core as the browser, printed, and any file asked for (--trace) written.
const result = runSim(process.argv.slice(2));
let exitCode = result.exitCode;
let stderr = result.stderr;
for (const file of result.files ?? []) {
  try {
    writeFileSync(file.path, file.contents);
    stderr += `Wrote the ${file.description} to ${file.path}.\n`;
  } catch (error) {
    stderr += `Could not write the ${file.description} to ${file.path}: ${error instanceof Error ? error.message : String(error)}\n`;
    exitCode = 1;
  }
}
process.stdout.write(result.stdout);
process.stderr.write(stderr);
process.exitCode = exitCode;
