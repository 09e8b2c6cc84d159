import { describe, expect, it } from 'vitest';
import { nodeRuntimeStatus, runtimeWarning, testedNodeLines } from './node-runtime.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('nodeRuntimeStatus (node-releases schedule)', () => {
  it('knows the official end-of-life days of the lines from the installed data', () => {
    // Dates of the Node.js Release working group's schedule.
    expect(nodeRuntimeStatus('v20.20.2', day('2026-12-02'))).toMatchObject({ state: 'end-of-life', line: 20, endOfLife: '2026-04-30', codename: 'Iron' });
    expect(nodeRuntimeStatus('v22.23.5', day('2026-12-02'))).toMatchObject({ state: 'maintained', line: 22, endOfLife: '2027-04-30', codename: 'Jod' });
    expect(nodeRuntimeStatus('v24.22.3', day('2026-12-02'))).toMatchObject({ state: 'maintained', line: 24, endOfLife: '2028-04-30', codename: 'Krypton' });
    // An odd (never LTS) line ends a few months after its release.
    expect(nodeRuntimeStatus('v25.9.0', day('2026-12-02'))).toMatchObject({ state: 'end-of-life', line: 25, endOfLife: '2026-06-01' });
  });

  it('turns end-of-life on the end day itself, not before', () => {
    expect(nodeRuntimeStatus('v20.20.2', day('2026-04-29')).state).toBe('maintained');
    expect(nodeRuntimeStatus('v20.20.2', day('2026-04-30')).state).toBe('end-of-life');
    expect(nodeRuntimeStatus('v22.0.0', day('2027-04-29')).state).toBe('maintained');
    expect(nodeRuntimeStatus('v22.0.0', day('2027-04-30')).state).toBe('end-of-life');
  });

  it('reads the schedule it is given', () => {
    const schedule = { v30: { start: '2030-04-01', lts: '2030-10-01', end: '2033-04-30', codename: 'Test' } };
    expect(nodeRuntimeStatus('v30.1.2', day('2033-05-01'), schedule)).toEqual({
      state: 'end-of-life', version: 'v30.1.2', line: 30, endOfLife: '2033-04-30', codename: 'Test',
    });
    expect(nodeRuntimeStatus('v30.1.2', day('2031-01-01'), schedule).state).toBe('maintained');
  });

  it('is unknown, never guessed, for a line the data lacks, a malformed entry or a malformed version', () => {
    expect(nodeRuntimeStatus('v99.0.0', day('2126-01-01'))).toEqual({ state: 'unknown', version: 'v99.0.0', line: 99 });
    expect(nodeRuntimeStatus('v30.0.0', day('2040-01-01'), { v30: { start: '2030-04-01' } }).state).toBe('unknown');
    expect(nodeRuntimeStatus('v30.0.0', day('2040-01-01'), { v30: { end: 'April 2033' } }).state).toBe('unknown');
    expect(nodeRuntimeStatus('v30.0.0', day('2040-01-01'), { v30: 'soon' }).state).toBe('unknown');
    expect(nodeRuntimeStatus('not-a-version', day('2040-01-01'))).toEqual({ state: 'unknown', version: 'not-a-version', line: null });
  });
});

describe('runtimeWarning', () => {
  it('names the version, the end day and the tested lines on an end-of-life runtime', () => {
    const warning = runtimeWarning(nodeRuntimeStatus('v20.20.2', day('2026-12-02')), '^22 || ^24');
    expect(warning).toBe(
      'Node.js v20.20.2 is past its end of life (line 20 ended 2026-04-30) and gets no more security fixes: upgrade Node.js.' +
        ' Coach Hub is tested on Node.js ^22 || ^24 (package.json "engines").',
    );
  });

  it('says nothing on a maintained or unknown runtime', () => {
    expect(runtimeWarning(nodeRuntimeStatus('v24.22.3', day('2026-12-02')), '^22 || ^24')).toBeNull();
    expect(runtimeWarning(nodeRuntimeStatus('v99.0.0', day('2026-12-02')), '^22 || ^24')).toBeNull();
  });
});

describe('testedNodeLines', () => {
  it('is package.json\'s engines.node', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
    expect(testedNodeLines()).toBe(pkg.engines.node);
    expect(testedNodeLines()).toMatch(/^\^\d+( \|\| \^\d+)*$/);
  });
});
