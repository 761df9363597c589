/**
 * {@link GrammarRegistry}: the set of envelopes and message grammars a parser uses, with the dispatch tables that make
 * auto-detection cheap (first character → candidate envelopes; program name → candidate grammars).
 *
 * @module
 */
import type { Envelope, MessageGrammar } from './types.js';
import { rfc3164Envelope } from './envelopes/rfc3164.js';
import { rfc5424Envelope } from './envelopes/rfc5424.js';
import { iso8601Envelope } from './envelopes/iso8601.js';
import { journaldJsonEnvelope } from './envelopes/journald.js';
import { auditdEnvelope } from './envelopes/auditd.js';
import { journalShortFullEnvelope, journalShortUnixEnvelope } from './envelopes/journal.js';
import { sshdGrammar } from './messages/sshd.js';
import { chkpwdGrammar, pamGrammar } from './messages/pam.js';
import { sudoGrammar } from './messages/sudo.js';
import { suGrammar } from './messages/su.js';
import { logindGrammar } from './messages/logind.js';
import { loginGrammar } from './messages/login.js';
import { accountGrammar } from './messages/accounts.js';
import { auditGrammar } from './messages/audit.js';

const EMPTY: readonly MessageGrammar[] = Object.freeze([]);

/**
 * Envelopes and message grammars. User registrations take precedence over the built-ins: a registered envelope is
 * tried before built-in ones that claim the same first character, and a registered message grammar before built-in
 * grammars for the same program.
 */
export class GrammarRegistry {
  private readonly envelopes: Envelope[] = [];
  private readonly builtinEnvelopeCount: number[] = [];
  private readonly byProgram = new Map<string, MessageGrammar[]>();
  private readonly generic: MessageGrammar[] = [];
  private dispatch: (readonly Envelope[])[] | null = null;
  private fallback: readonly Envelope[] = [];
  private userEnvelopes = 0;
  private userGeneric = 0;
  private readonly userPerProgram = new Map<string, number>();
  private sealedBuiltins = false;

  /**
   * Adds an envelope. Throws when one with the same name exists.
   * @returns this registry, for chaining.
   */
  registerEnvelope(e: Envelope): this {
    if (e === null || typeof e !== 'object' || typeof e.parse !== 'function' || typeof e.name !== 'string' || e.name.length === 0) {
      throw new Error('registerEnvelope: expected an object with a non-empty `name` and a `parse(line, record, time)` function');
    }
    if (this.envelopes.some((x) => x.name === e.name)) throw new Error(`registerEnvelope: an envelope named ${JSON.stringify(e.name)} is already registered`);
    if (this.sealedBuiltins) {
      this.envelopes.splice(this.userEnvelopes, 0, e);
      this.userEnvelopes++;
    } else this.envelopes.push(e);
    this.dispatch = null;
    return this;
  }

  /**
   * Adds a message grammar for its `programs` (or for every program when `programs` is `null`).
   * @returns this registry, for chaining.
   */
  registerMessageGrammar(g: MessageGrammar): this {
    if (g === null || typeof g !== 'object' || typeof g.parse !== 'function' || typeof g.name !== 'string') {
      throw new Error('registerMessageGrammar: expected an object with `name`, `programs` and a `parse(message, record)` function');
    }
    if (g.programs !== null && !Array.isArray(g.programs)) {
      throw new Error('registerMessageGrammar: `programs` must be an array of program names or null');
    }
    if (g.programs === null) {
      if (this.sealedBuiltins) this.generic.splice(this.userGeneric++, 0, g);
      else this.generic.push(g);
      return this;
    }
    for (const p of g.programs) {
      let list = this.byProgram.get(p);
      if (list === undefined) {
        list = [];
        this.byProgram.set(p, list);
      }
      if (this.sealedBuiltins) {
        const k = this.userPerProgram.get(p) ?? 0;
        list.splice(k, 0, g);
        this.userPerProgram.set(p, k + 1);
      } else list.push(g);
    }
    return this;
  }

  /** Marks everything registered so far as built-in, so later registrations take precedence. @internal */
  sealBuiltins(): this {
    this.sealedBuiltins = true;
    return this;
  }

  /** The registered envelope with this name, or `undefined`. */
  envelope(name: string): Envelope | undefined {
    return this.envelopes.find((e) => e.name === name);
  }

  /** Names of all registered envelopes, in precedence order. */
  envelopeNames(): string[] {
    return this.envelopes.map((e) => e.name);
  }

  /** Candidate envelopes for a line starting with char code `c` (auto-detection order). */
  envelopesFor(c: number): readonly Envelope[] {
    let d = this.dispatch;
    if (d === null) d = this.buildDispatch();
    return c < 128 ? d[c] : this.fallback;
  }

  /** Grammars for a program name, in precedence order (empty when none). */
  grammarsFor(program: string): readonly MessageGrammar[] {
    return this.byProgram.get(program) ?? EMPTY;
  }

  /** Grammars that apply to every program (PAM, auditd, user ones with `programs: null`). */
  genericGrammars(): readonly MessageGrammar[] {
    return this.generic;
  }

  private buildDispatch(): (readonly Envelope[])[] {
    const any = this.envelopes.filter((e) => e.firstChars === undefined || e.firstChars === '');
    const d: Envelope[][] = [];
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      const list = this.envelopes.filter((e) => e.firstChars !== undefined && e.firstChars !== '' && e.firstChars.includes(ch));
      d.push(list.concat(any));
    }
    this.fallback = any;
    this.dispatch = d;
    return d;
  }
}

/** The built-in envelopes, in auto-detection precedence order. */
export const BUILTIN_ENVELOPES: readonly Envelope[] = Object.freeze([
  rfc3164Envelope,
  iso8601Envelope,
  rfc5424Envelope,
  journaldJsonEnvelope,
  auditdEnvelope,
  journalShortUnixEnvelope,
  journalShortFullEnvelope,
]);

/** The built-in message grammars. */
export const BUILTIN_MESSAGE_GRAMMARS: readonly MessageGrammar[] = Object.freeze([
  sshdGrammar,
  sudoGrammar,
  suGrammar,
  logindGrammar,
  loginGrammar,
  accountGrammar,
  chkpwdGrammar,
  pamGrammar,
  auditGrammar,
]);

/** A fresh registry holding the built-in envelopes and message grammars; add your own to it. */
export function defaultRegistry(): GrammarRegistry {
  const r = new GrammarRegistry();
  for (const e of BUILTIN_ENVELOPES) r.registerEnvelope(e);
  for (const g of BUILTIN_MESSAGE_GRAMMARS) r.registerMessageGrammar(g);
  return r.sealBuiltins();
}

let shared: GrammarRegistry | null = null;

/** The registry used when no `registry` option is given (built-ins only; created once). @internal */
export function sharedDefaultRegistry(): GrammarRegistry {
  if (shared === null) shared = defaultRegistry();
  return shared;
}
