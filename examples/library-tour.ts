/**
 * The library tour: the five modules wired by hand (the README shows this code).
 *
 *   npx tsx examples/library-tour.ts history.log new.log [year]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { EventAssembler } from '../src/assemble/index.js';
import { FeatureEncoder } from '../src/features/index.js';
import { LineParser } from '../src/grammar/index.js';
import { Autoencoder } from '../src/model/index.js';
import { ReconstructionScorer, scoreEvents, type ScoredEvent } from '../src/score/index.js';

/** Trains on `historyLines`, scores `newLines`, returns the scored new events, most unusual first. */
export async function tour(historyLines: string[], newLines: string[], year: number): Promise<ScoredEvent[]> {
  const toEvents = (lines: string[]) => {
    const parser = new LineParser({ year }); // raw lines -> one LogRecord per line
    const assembler = new EventAssembler({ order: 'start' }); // records -> one LoginEvent per login, in time order
    return [...assembler.push(parser.parseBatch(lines)), ...assembler.flush()];
  };
  const history = toEvents(historyLines);
  const encoder = new FeatureEncoder(); // events -> scaled feature rows
  await encoder.fit([history]); // learn the scaling in one pass
  encoder.resetHistory(); // forget behaviour, keep the scaling
  const rows = encoder.transform(history); // training rows, no look-ahead
  const model = new Autoencoder({ activation: 'tanh', epochs: 10, seed: 1 }); // rows -> reconstructions
  await model.fit(rows, { width: encoder.width });
  const scorer = new ReconstructionScorer({ columns: encoder.columns, threshold: { contamination: 0.01 } });
  scorer.partialFit(scorer.errors(rows, await model.reconstruct(rows)).errors, rows); // calibrate
  const fresh = toEvents(newLines);
  const freshRows = encoder.transform(fresh); // behavioural state carries on from the history
  const scored = scoreEvents(scorer, fresh, freshRows, await model.reconstruct(freshRows), { describe: encoder.describe.bind(encoder) });
  model.dispose();
  return scored.sort((a, b) => b.score - a.score);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [historyPath, newPath, year] = process.argv.slice(2);
  if (!historyPath || !newPath) {
    console.error('usage: npx tsx examples/library-tour.ts history.log new.log [year]');
    process.exit(2);
  }
  const read = (p: string) => readFileSync(p, 'utf8').split('\n');
  const top = await tour(read(historyPath), read(newPath), Number(year ?? new Date().getUTCFullYear()));
  for (const s of top.slice(0, 10)) {
    const e = s.event;
    console.log(`${s.score.toFixed(3)} ${new Date(e.timestamp).toISOString()} ${e.action} ${e.userName}@${e.hostName} from ${e.sourceIp}: ${s.reasons.join('; ')}`);
  }
}
