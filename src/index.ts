/**
 * loginsight — find suspicious logins in Linux auth logs without labels.
 *
 * @packageDocumentation
 */
export * from './grammar/record.js';
export * from './assemble/event.js';
