import { describe, expect, it } from 'vitest';
import { renderTerminalSummary } from '../../src/report/index.js';
import { sampleReport } from './fixtures.js';

describe('renderTerminalSummary', () => {
  it('fits one screen (<= 40 lines, <= 100 columns) with many anomalies and long attacker text', () => {
    const text = renderTerminalSummary(sampleReport(), { top: 50 });
    const lines = text.split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Top anomalies:');
    expect(text).toContain('Top incidents:');
    expect(text).toMatch(/Analysed 12,000 lines, 3,000 login events/);
  });

  it('honours a narrower terminal', () => {
    const lines = renderTerminalSummary(sampleReport(), { width: 60, maxLines: 20 }).split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
  });

  it('says so when nothing is flagged', () => {
    const text = renderTerminalSummary(sampleReport(0));
    expect(text).toContain('Anomalies: 0');
  });
});

describe('warnings in the summaries', () => {
  const warning =
    '20,767 of 28,198 login events (74%) are failed logins. detect learns from these same logs, so failures at this volume count as normal \u001b[2J';
  it('the terminal summary shows them right after the header, wrapped to the width, cleaned', () => {
    const text = renderTerminalSummary({ ...sampleReport(), warnings: [warning] }, { width: 80 });
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Caution: 20,767 of 28,198'));
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(6);
    expect(lines[at + 1]).toMatch(/^ {2}\S/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(text).not.toContain('\u001b');
    expect(text.replace(/\n +/g, ' ')).toContain('so failures at this volume count as normal ?[2J');
  });
  it('the HTML report shows them in the summary, escaped', async () => {
    const { renderHtmlReport } = await import('../../src/report/index.js');
    const html = renderHtmlReport({ ...sampleReport(), warnings: ['<b>x</b> failures dominate'] });
    expect(html).toContain('<p class="warning"><b>Caution:</b> &lt;b&gt;x&lt;/b&gt; failures dominate</p>');
    expect(renderHtmlReport(sampleReport())).not.toContain('class="warning"');
  });
});
