// The ranks' stderr on its way through `taskloaf run`: one report per
// failure. An error every rank meets (one thrown while the program loads)
// reports on every rank; the repeats of the first report are left out and
// counted. Once a rank has reported, Open MPI's banners about the abort or
// the non-zero exit it caused say nothing more and are left out too (no MCA
// parameter silences only those: orte_execute_quiet silences every error,
// a daemon that cannot start included). Node's warnings, one per rank, are
// shown once.

const HEADER = /^taskloaf: (?:uncaught exception|unhandled rejection|error in main) on rank (\S+) on .*:$/;
const RULE = /^-{40,}$/;
const ABORT_BANNER = /MPI_ABORT was invoked|Primary job\s+terminated normally|detected that one or more processes exited with non-zero status/;
// The garbled help message Open MPI logs after an abort when help is not
// aggregated, and MPICH's one line about the abort.
const HELP_LOG = /ORTE_ERROR_LOG: .* in file .*show_help\.c|^Abort\(\d+\) on node \d+ .*application called MPI_Abort/;
const KEPT = 500;
// A warning node prints, headed by its pid, and the hint after a process's first.
const WARNING = /^\(node:\d+\) (.*)$/;
const TRACE_HINT = /^\(Use `node --trace-warnings/;

export class ReportFilter {
  /** The first report's lines after its header. */
  private first: string[] | null = null;
  private collecting = false;
  private repeat = -1;
  private repeatHeader = '';
  private block: string[] | null = null;
  private readonly repeats: string[] = [];

  /** Each node warning seen (its text without the pid) and the lines that followed its first. */
  private readonly warnings = new Map<string, string[]>();
  private warningLines: string[] | null = null;
  private warningRepeat: string[] | null = null;

  constructor(private readonly write: (line: string) => void) {}

  /** One whole line (without its newline) from the ranks' stderr. */
  line(l: string): void {
    if (this.block) {
      this.block.push(l);
      if (RULE.test(l)) this.endBlock();
      return;
    }
    if (this.warning(l)) return;
    const header = HEADER.exec(l);
    if (header) {
      if (this.first === null) {
        this.first = [];
        this.collecting = true;
        this.write(l);
      } else {
        this.collecting = false;
        this.repeat = 0;
        this.repeatHeader = l;
        this.repeats.push(header[1]!);
      }
      return;
    }
    if (this.repeat >= 0) {
      if (this.first && this.repeat < this.first.length && this.first[this.repeat] === l) {
        this.repeat++;
        return;
      }
      // Another error after all (its first line differs): it is shown whole.
      if (this.repeat === 0) {
        this.repeats.pop();
        this.write(this.repeatHeader);
      }
      this.repeat = -1;
    }
    if (this.first !== null && RULE.test(l)) {
      this.collecting = false;
      this.block = [l];
      return;
    }
    if (this.first !== null && HELP_LOG.test(l)) return;
    if (this.collecting && this.first && this.first.length < KEPT) this.first.push(l);
    this.write(l);
  }

  /**
   * Node's warnings (a package.json without "type": "module" gets one from
   * every rank): the first is shown, a repeat from another rank is left
   * out with the lines that followed the first. Whether `l` was taken.
   */
  private warning(l: string): boolean {
    const w = WARNING.exec(l);
    if (w) {
      this.warningRepeat = null;
      this.warningLines = null;
      const seen = this.warnings.get(w[1]!);
      if (seen) {
        this.warningRepeat = [...seen];
        return true;
      }
      this.warningLines = [];
      this.warnings.set(w[1]!, this.warningLines);
      return false;
    }
    if (this.warningRepeat) {
      if (this.warningRepeat[0] === l) {
        this.warningRepeat.shift();
        if (this.warningRepeat.length === 0) this.warningRepeat = null;
        return true;
      }
      this.warningRepeat = null;
    }
    if (this.warningLines) {
      // The lines of a warning: up to node's hint about --trace-warnings, which ends the first one.
      if (HEADER.test(l) || RULE.test(l) || this.warningLines.length >= 20) this.warningLines = null;
      else {
        this.warningLines.push(l);
        if (TRACE_HINT.test(l)) this.warningLines = null;
      }
    }
    return false;
  }

  private endBlock(): void {
    const block = this.block!;
    this.block = null;
    if (!ABORT_BANNER.test(block.join('\n'))) for (const b of block) this.write(b);
  }

  /** The stream ended: what is held goes out, and the count of reports left out. */
  end(): void {
    if (this.block) {
      const block = this.block;
      this.block = null;
      for (const b of block) this.write(b);
    }
    if (this.repeats.length > 0) {
      const n = this.repeats.length;
      this.write(`taskloaf: ${n} other rank${n === 1 ? '' : 's'} (${this.repeats.join(', ')}) reported the same error`);
    }
  }
}
