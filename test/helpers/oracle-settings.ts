/**
 * Asks a release's real compiler (`vcc-<version>`, see oracles.ts) about
 * parameter settings: `vcc-X FILE -p name=value ...` reads every `-p` in
 * order as that varnishd does at start-up and stops at the first it refuses.
 *
 * FILE is the probe program of varnishd-async.ts (PROBE_VCL): a run whose
 * settings are all read ends in its deliberate compile error within
 * milliseconds. A run costs about half a
 * second either way (the compiler starts in a chroot), so
 * {@link OracleSettings.each} learns the verdict of many independent
 * settings from one command line: everything before the refused setting was
 * accepted, and the rest is asked again.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyRun, PROBE_VCL, settingsAccepted, type SettingsVerdict } from './varnishd-async.js';
import { runForStderr, Slots } from './process-slots.js';


/** Runs one release's compiler on settings, at most `concurrency` processes at a time. */
export class OracleSettings {
  /** Compiler runs so far, for reports. */
  runs = 0;
  private readonly scratch: string;
  private readonly probe: string;
  private readonly slots: Slots;

  constructor(
    private readonly bin: string,
    concurrency = 2,
    private readonly timeoutMs = 60_000,
  ) {
    this.slots = new Slots(concurrency);
    // The compiler runs as another user: the folder and the file must be readable by others.
    this.scratch = mkdtempSync(join(tmpdir(), 'vcl-oracle-params-'));
    this.probe = join(this.scratch, 'probe.vcl');
    chmodSync(this.scratch, 0o755);
    writeFileSync(this.probe, PROBE_VCL);
    chmodSync(this.probe, 0o644);
  }

  /** The verdict on one command line: `before` (e.g. `-s` options), then one `-p` per setting in order. */
  run(settings: readonly (readonly [string, string])[], before: readonly string[] = []): Promise<SettingsVerdict> {
    return this.slots.run(async () => {
      this.runs++;
      const { code, stderr } = await runForStderr(this.bin, [this.probe, ...before, ...settings.flatMap(([n, v]) => ['-p', `${n}=${v}`])], this.timeoutMs);
      // The probe program names an unknown symbol on purpose: classifyRun takes reaching it as every setting read.
      return classifyRun(code === 0 ? 1 : code, stderr);
    });
  }

  /**
   * The verdict on each of `settings` given alone, for settings that do not
   * change each other's limits: one command line with all of them; the
   * first refused one gets the refusal, those before it are accepted, and
   * the rest are asked again. Costs one run per refused setting, plus one.
   */
  async each(settings: readonly (readonly [string, string])[]): Promise<SettingsVerdict[]> {
    const out: SettingsVerdict[] = new Array(settings.length);
    let start = 0;
    while (start < settings.length) {
      const v = await this.run(settings.slice(start));
      if (settingsAccepted(v)) {
        out.fill(v, start);
        break;
      }
      const k = refusedAt(settings, start, v);
      if (k === undefined) {
        // The compiler did not say which setting it refused: ask each one alone.
        for (let i = start; i < settings.length; i++) out[i] = await this.run([settings[i]!]);
        break;
      }
      for (let i = start; i < k; i++) out[i] = { kind: 'accepted', message: 'read before a refused setting', exitCode: 0 };
      out[k] = v;
      start = k + 1;
    }
    return out;
  }

  /** Removes the scratch folder. */
  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** The index (from `start`) of the setting the compiler refused, going by the name and value its message gives. */
export function refusedAt(settings: readonly (readonly [string, string])[], start: number, v: SettingsVerdict): number | undefined {
  if (v.name === undefined) return undefined;
  for (let i = start; i < settings.length; i++) {
    const [n, val] = settings[i]!;
    if (n === v.name && (v.value === undefined || v.value === val)) return i;
  }
  return undefined;
}
