import { runSim } from './runSim';

// Node entry of the command line: the same core as the browser, printed.
const result = runSim(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
