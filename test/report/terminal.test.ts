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
