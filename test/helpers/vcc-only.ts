/**
 * Asking varnishd for VCC's verdict without building the C program.
 *
 * `varnishd -C` runs VCC (which judges the VCL), then the C compiler on the
 * generated C, then loads the result. The C compiler costs about 85% of a
 * run (0.45 of 0.53 CPU-seconds for a small program on 7.1), and it never
 * sees code the user wrote unless inline C is allowed (`vcc_allow_inline_c`,
 * or `vcc_feature=+allow_inline_c`): without that, VCC itself refuses every
 * `C{ }C`. So for the tests that ask "does varnishd accept this VCL", the
 * answer is VCC's, and the C compiler is replaced by a command that builds
 * nothing (`-p cc_command=:`, the shell's no-op, so that no program is even
 * started). The load then fails on the library that was never built, and
 * that failure is the proof that VCC accepted the program.
 *
 * Runs that set `cc_command` themselves are left whole, and so are runs
 * that allow inline C unless the program is known to hold none (its whole
 * text is given, with no `C{` and no `include` that could bring one): only
 * there does the C compiler have something of the user's to judge. For a
 * program without any, allowing inline C changes nothing VCC writes; such a program
 * without inline C is common in the corpus (72 of the 85 test programs that
 * allow it), where a whole build costs about 0.5 s against 25 ms.
 */

/** The argument pair that replaces the C compiler with a command that builds nothing. */
const SKIP_CC = ['-p', 'cc_command=:'] as const;

/**
 * True when a run with these arguments must build the C program to give its
 * verdict. `text` is the program when it is known whole (a file of its own,
 * nothing else read): a program without inline C needs no C compiler even
 * where inline C is allowed.
 */
export function needsCCompiler(args: readonly string[], text?: string): boolean {
  if (args.some((a) => /cc_command/.test(a))) return true;
  if (!args.some((a) => /allow_inline_c/.test(a))) return false;
  return text === undefined || /C\{|^\s*include\b/m.test(text);
}

/**
 * The arguments for a VCC-only run of `varnishd -C` with `args`: the
 * compiler replaced first, so that a `cc_command` among `args` would win.
 * Unchanged when the run needs the C compiler (`text` as for {@link needsCCompiler}).
 */
export function vccOnlyArgs(args: readonly string[], text?: string): { args: readonly string[]; vccOnly: boolean } {
  if (needsCCompiler(args, text)) return { args, vccOnly: false };
  return { args: [...SKIP_CC, ...args], vccOnly: true };
}

/**
 * Whether VCC accepted the program, from varnishd's exit code and stderr:
 * exit 0, or (in a VCC-only run) the load of the library that was never
 * built failing, which varnishd attempts only after VCC and the stand-in
 * compiler both succeeded.
 */
export function vccAccepted(code: number | null, stderr: string, vccOnly: boolean): boolean {
  if (code === 0) return true;
  return vccOnly && code !== null && /Running dlopen failed/.test(stderr);
}
