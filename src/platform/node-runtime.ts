import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import releaseSchedule from 'node-releases/data/release-schedule/release-schedule.json' with { type: 'json' };
import { z } from 'zod';
import { projectRoot } from '../config/paths.js';

/**
 * Is the Node.js runtime the server runs on still maintained? The dates come from the
 * `node-releases` package (browserslist's data, rebuilt from the Node.js Release working group's
 * schedule, nodejs/Release `schedule.json`): one entry per release line (`v22`, `v24`…) with the
 * day its support ends (`end`, YYYY-MM-DD). A line the data does not know yet (a runtime newer
 * than the installed package) is 'unknown', never guessed.
 *
 * main.ts logs `runtimeWarning()` at start; the lines CI tests are package.json's `engines.node`
 * (docs/decisions/0017-supported-node-lines.md).
 */

const ZLine = z.object({ end: z.string(), codename: z.string().optional() });
const ZSchedule = z.record(z.string(), z.unknown());

export type ReleaseSchedule = Record<string, unknown>;

export type NodeRuntimeStatus =
  | { state: 'maintained'; version: string; line: number; endOfLife: string; codename?: string }
  | { state: 'end-of-life'; version: string; line: number; endOfLife: string; codename?: string }
  | { state: 'unknown'; version: string; line: number | null };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The status of `version` (`process.version`, e.g. `v20.20.2`) on `today`. `schedule` defaults to
 * the installed node-releases data; tests pass their own.
 */
export function nodeRuntimeStatus(version: string, today: Date, schedule: ReleaseSchedule = releaseSchedule): NodeRuntimeStatus {
  const match = /^v?(\d+)\.\d+\.\d+/.exec(version);
  if (!match?.[1]) return { state: 'unknown', version, line: null };
  const line = Number(match[1]);
  const parsedSchedule = ZSchedule.safeParse(schedule);
  const entry = parsedSchedule.success ? ZLine.safeParse(parsedSchedule.data[`v${line}`]) : null;
  if (!entry?.success || !ISO_DAY.test(entry.data.end)) return { state: 'unknown', version, line };
  const { end, codename } = entry.data;
  // Both sides are YYYY-MM-DD (UTC), so the string order is the calendar order.
  const day = today.toISOString().slice(0, 10);
  const state = day >= end ? 'end-of-life' : 'maintained';
  return { state, version, line, endOfLife: end, ...(codename ? { codename } : {}) };
}

/** package.json's `engines.node`: the release lines CI tests. */
export function testedNodeLines(): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { engines?: { node?: unknown } };
    return typeof pkg.engines?.node === 'string' ? pkg.engines.node : null;
  } catch {
    return null;
  }
}

/** The warning to log at start, or null on a maintained (or not yet known) runtime. */
export function runtimeWarning(status: NodeRuntimeStatus, tested: string | null): string | null {
  if (status.state !== 'end-of-life') return null;
  const lines = tested ? ` Coach Hub is tested on Node.js ${tested} (package.json "engines").` : '';
  return `Node.js ${status.version} is past its end of life (line ${status.line} ended ${status.endOfLife}) and gets no more security fixes: upgrade Node.js.${lines}`;
}
