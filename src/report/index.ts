/**
 * Reports: a self-contained HTML file (inline CSS and SVG, no network) and a one-screen terminal summary.
 *
 * @module
 */
export type {
  AnalysedInput,
  EntityCount,
  ReportData,
  ReportEvent,
  ReportIncident,
  ScoreHistogram,
  Timeline,
} from './types.js';
export { renderHtmlReport, incidentSentence, type HtmlReportOptions } from './html.js';
export { renderTerminalSummary, type TerminalSummaryOptions } from './terminal.js';
export { escapeHtml, cleanText, formatTime, formatScore, formatCount } from './format.js';
export { histogramSvg, timelineSvg, barsSvg } from './svg.js';
