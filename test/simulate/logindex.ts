/** Test helper: indexes simulated log text by host and pid so label rows can be checked against it. */

export interface IndexedLine {
  ts: number;
  host: string;
  program: string;
  pid: number | null;
  msg: string;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const RFC = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\S+) ([^[:]+)(?:\[(\d+)\])?: (.*)$/;
const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-]\d\d:\d\d) (\S+) ([^[:]+)(?:\[(\d+)\])?: (.*)$/;

/** Parses one simulated line (the two envelopes the simulator writes). */
export function parseSimLine(line: string, year: number): IndexedLine | null {
  let m = RFC.exec(line);
  if (m) {
    const ts = Date.UTC(year, MONTHS[m[1]], Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
    return { ts, host: m[6], program: m[7], pid: m[8] === undefined ? null : Number(m[8]), msg: m[9] };
  }
  m = ISO.exec(line);
  if (m) {
    // keep millisecond precision (drop the last three micro digits)
    const iso = m[1].replace(/\.(\d{3})\d+/, '.$1');
    return { ts: Date.parse(iso), host: m[2], program: m[3], pid: m[4] === undefined ? null : Number(m[4]), msg: m[5] };
  }
  return null;
}

/** Lines grouped by `host pid` and by `host program` (for pid-less lines). */
export class LogIndex {
  readonly byPid = new Map<string, IndexedLine[]>();
  readonly byProgram = new Map<string, IndexedLine[]>();
  unparsed = 0;
  count = 0;

  constructor(private readonly year: number) {}

  add(lines: readonly string[]): void {
    for (const l of lines) {
      const p = parseSimLine(l, this.year);
      if (p === null) {
        this.unparsed++;
        continue;
      }
      this.count++;
      const key = p.pid === null ? `${p.host} ${p.program}` : `${p.host} ${p.pid}`;
      const map = p.pid === null ? this.byProgram : this.byPid;
      let b = map.get(key);
      if (b === undefined) map.set(key, (b = []));
      b.push(p);
    }
  }

  pidLines(host: string, pid: number, from: number, to: number): IndexedLine[] {
    return (this.byPid.get(`${host} ${pid}`) ?? []).filter((x) => x.ts >= from && x.ts <= to);
  }

  programLines(host: string, program: string, from: number, to: number): IndexedLine[] {
    return (this.byProgram.get(`${host} ${program}`) ?? []).filter((x) => x.ts >= from && x.ts <= to);
  }
}
