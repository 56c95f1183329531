/**
 * One run of the varnishlog benchmark, in a process of its own:
 * `vcl-lint --format json --varnishlog FILE` through the CLI's runCli, the
 * function the installed command runs. Prints one JSON line: the exit
 * status, the number of diagnostics and the process's peak RSS in KB (the
 * kernel's count, everything Node allocated included).
 */
import { runCli } from '../server/src/cli/run.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: node out/bench/varnishlog-run.js FILE');
  process.exit(2);
}
let json = '';
const status = runCli(['--format', 'json', '--varnishlog', file], { stdout: (s) => (json += s), stderr: (s) => process.stderr.write(s) });
const diagnostics = (JSON.parse(json) as { files: Array<{ diagnostics: unknown[] }> }).files.reduce((n, f) => n + f.diagnostics.length, 0);
console.log(JSON.stringify({ status, diagnostics, maxRssKb: process.resourceUsage().maxRSS }));
