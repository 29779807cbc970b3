// The ranks' stderr on its way through `taskloaf run`: one report per
// failure. An error every rank meets (one thrown while the program loads)
// reports on every rank; the repeats of the first report are left out and
// counted. Once a rank has reported, Open MPI's banners about the abort or
// the non-zero exit it caused say nothing more and are left out too (no MCA
// parameter silences only those: orte_execute_quiet silences every error,
// a daemon that cannot start included).

const HEADER = /^taskloaf: (?:uncaught exception|unhandled rejection|error in main) on rank (\S+) on .*:$/;
const RULE = /^-{40,}$/;
const ABORT_BANNER = /MPI_ABORT was invoked|Primary job\s+terminated normally|detected that one or more processes exited with non-zero status/;
// The garbled help message Open MPI logs after an abort when help is not
// aggregated, and MPICH's one line about the abort.
const HELP_LOG = /ORTE_ERROR_LOG: .* in file .*show_help\.c|^Abort\(\d+\) on node \d+ .*application called MPI_Abort/;
const KEPT = 500;

export class ReportFilter {
  /** The first report's lines after its header. */
  private first: string[] | null = null;
  private collecting = false;
  private repeat = -1;
  private repeatHeader = '';
  private block: string[] | null = null;
  private readonly repeats: string[] = [];

  constructor(private readonly write: (line: string) => void) {}

  /** One whole line (without its newline) from the ranks' stderr. */
  line(l: string): void {
    if (this.block) {
      this.block.push(l);
      if (RULE.test(l)) this.endBlock();
      return;
    }
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
