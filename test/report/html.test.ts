import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/index.js';
import { escapeHtml } from '../../src/report/format.js';
import { EVIL_USER, sampleReport } from './fixtures.js';

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(sampleReport());

  it('escapes attacker-controlled text everywhere', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(1)>');
    expect(html).not.toContain('\u001b');
    expect(html).not.toContain('evil<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('evil&lt;b&gt;.log');
    expect(html).toContain('ROC-AUC 0.99 &lt;x&gt;');
  });

  it('is self-contained: no scripts, no external resources', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("default-src 'none'");
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('contains the five plots and the threshold line', () => {
    for (const id of ['plot-histogram', 'plot-timeline', 'plot-users', 'plot-hosts', 'plot-sources']) {
      expect(html).toContain(`<svg id="${id}"`);
    }
    expect(html).toContain('class="threshold"');
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThan(20);
  });

  it('has a summary in words and the flagged-events table with reasons', () => {
    expect(html).toMatch(/We analysed 12,000 log lines from history\.log, evil&lt;b&gt;\.log: <b>3,000 login events<\/b>/);
    expect(html).toMatch(/logins stood out as unusual/);
    expect(html).toContain('password spraying from 203.0.113.9');
    expect(html).toContain('first login of user0 to web-');
    expect(html).toContain('<th>Why</th>');
  });

  it('renders an empty run without plots failing', () => {
    const empty = renderHtmlReport({ ...sampleReport(0), incidents: [] });
    expect(empty).toContain('No login stood out');
    expect(empty).toContain('No scores to plot');
  });

  it('attacker text cannot display as something else: bidi overrides, isolates and zero-width characters are made visible', async () => {
    const { cleanText } = await import('../../src/report/format.js');
    expect(cleanText('admin\u202egnp.exe')).toBe('admin?gnp.exe');
    expect(escapeHtml('ro\u200bot \u2066x\u2069 \u200f\ufeff')).toBe('ro?ot ?x? ??');
    // ordinary non-ASCII text is kept
    expect(cleanText('jürgen 山田 🙂')).toBe('jürgen 山田 🙂');
  });

  it('escapeHtml covers quotes, backticks and control characters', () => {
    expect(escapeHtml(`a&b<c>"d"'e'\`f\u0000`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;&#96;f?');
    expect(escapeHtml(EVIL_USER)).not.toMatch(/[<>"\u001b]/);
  });
});
