import { Presets, SingleBar } from 'cli-progress';
import { formatDuration } from './output';

export interface ProgressFigures {
  done: number;
  total: number | null;
  eventsPerSecond: number;
  /** Null when the total is unknown (a store that cannot count) or nothing moved yet. */
  etaSeconds: number | null;
}

/** Rate over this run only: events a resumed rebuild had already done are not counted. */
export function progressFigures(
  done: number,
  total: number | null,
  doneAtStart: number,
  elapsedMs: number,
): ProgressFigures {
  const eventsPerSecond = elapsedMs > 0 ? ((done - doneAtStart) * 1000) / elapsedMs : 0;
  const etaSeconds =
    total !== null && eventsPerSecond > 0 ? Math.max(0, total - done) / eventsPerSecond : null;
  return { done, total, eventsPerSecond: Math.round(eventsPerSecond), etaSeconds };
}

export interface ProgressView {
  /** `processed`: events of this run, so a resumed rebuild's earlier work is not rated. */
  update(done: number, total: number | null, processed: number): void;
  finish(): void;
}

export type ProgressMode = 'bar' | 'lines' | 'json';

/** A bar on a terminal, plain lines in a log (a pipe, CI), JSON lines when `--json` asks. */
export function progressMode(json: boolean | undefined): ProgressMode {
  return json ? 'json' : process.stderr.isTTY ? 'bar' : 'lines';
}

export interface ProgressSubject {
  /** What the lines and the bar start with: `rebuild products`, `seed`. */
  label: string;
  /** The `progress` field of JSON lines. */
  name: string;
  /** What is counted: `events`, `commands`. */
  unit: string;
}

/**
 * Progress on stderr: a bar on a terminal, a plain line every few seconds in a log, JSON lines
 * for scripts (`--json`). Never on stdout, which carries the result. The closing line is
 * written only when it says something the last periodic line did not.
 */
export function progressView(
  subject: ProgressSubject,
  mode: ProgressMode,
  now = Date.now,
): ProgressView {
  const { label, name, unit } = subject;
  const started = now();
  let doneAtStart: number | null = null;
  let lastLine = 0;
  const figures = (done: number, total: number | null, processed: number) =>
    progressFigures(done, total, (doneAtStart ??= done - processed), now() - started);
  if (mode === 'bar') {
    const bar = new SingleBar(
      {
        stream: process.stderr,
        format: `${label} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta}`,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let shown = false;
    return {
      update(done, total, processed) {
        const f = figures(done, total, processed);
        const payload = { rate: f.eventsPerSecond, eta: eta(f) };
        if (!shown) bar.start(total ?? done, done, payload);
        shown = true;
        if (total !== null) bar.setTotal(total);
        bar.update(done, payload);
      },
      finish: () => bar.stop(),
    };
  }
  const every = mode === 'json' ? 1000 : 2000;
  const write = (f: ProgressFigures) =>
    process.stderr.write(
      mode === 'json'
        ? `${JSON.stringify({ progress: name, ...f })}\n`
        : `${label}: ${f.done}/${f.total ?? '?'} ${unit}, ${f.eventsPerSecond} ${unit}/s, ETA ${eta(f)}\n`,
    );
  let latest: ProgressFigures | null = null;
  let written: ProgressFigures | null = null;
  return {
    update(done, total, processed) {
      latest = figures(done, total, processed);
      if (now() - lastLine >= every) {
        lastLine = now();
        write((written = latest));
      }
    },
    finish() {
      if (latest && latest !== written) write((written = latest));
    },
  };
}

function eta(figures: ProgressFigures): string {
  return figures.etaSeconds === null ? '?' : formatDuration(figures.etaSeconds);
}
