import { describe, expect, inject, it } from 'vitest';
import { FIRST_PAGE_BUDGET_BYTES, measureFirstPages } from '../../scripts/web-bundle-size.js';

describe('production web build: what the first page costs', () => {
  it('loads less than 200 kB of gzipped JavaScript for /login and / (each page its own chunk)', () => {
    const pages = measureFirstPages(inject('buildDir'));
    expect(pages.map((p) => p.route)).toEqual(['/login', '/']);
    for (const page of pages) {
      expect(page.routeChunk, `${page.route} should be a lazy chunk of its own`).toBe(true);
      expect(page.gzipBytes, `${page.route}: ${page.files.map((f) => `${f.file} ${f.gzipBytes}`).join(', ')}`).toBeLessThan(FIRST_PAGE_BUDGET_BYTES);
      // Daily's SDK and the Markdown renderer come with the pages that use them, never first.
      expect(page.files.some((f) => /daily|chat-page/.test(f.file))).toBe(false);
    }
  });
});
