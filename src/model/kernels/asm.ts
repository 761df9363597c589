/**
 * A tiny WebAssembly binary emitter: just enough to write the SIMD dense-layer kernels in kernels/simd.ts
 * without a toolchain. Functions take i32/f32 params; locals are i32, f32 or v128.
 *
 * @module
 */

/** Value types. */
export const T = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
/** A value type code. */
export type ValType = (typeof T)[keyof typeof T];

function uleb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

function sleb(n: number, out: number[]): void {
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Builds one function body. Locals are declared up front by name. */
export class Fn {
  readonly code: number[] = [];
  private readonly names = new Map<string, number>();
  private readonly localTypes: ValType[] = [];

  constructor(
    readonly name: string,
    readonly params: readonly [string, ValType][],
    readonly results: readonly ValType[],
    locals: readonly [string, ValType][],
  ) {
    params.forEach(([n], i) => this.names.set(n, i));
    locals.forEach(([n, t], i) => {
      this.names.set(n, params.length + i);
      this.localTypes.push(t);
    });
  }

  private idx(n: string): number {
    const i = this.names.get(n);
    if (i === undefined) throw new Error(`asm: unknown local ${n} in ${this.name}`);
    return i;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  private simd(op: number, ...imm: number[]): this {
    this.code.push(0xfd);
    uleb(op, this.code);
    this.code.push(...imm);
    return this;
  }

  get(n: string): this {
    this.code.push(0x20);
    uleb(this.idx(n), this.code);
    return this;
  }
  set(n: string): this {
    this.code.push(0x21);
    uleb(this.idx(n), this.code);
    return this;
  }
  tee(n: string): this {
    this.code.push(0x22);
    uleb(this.idx(n), this.code);
    return this;
  }
  i32(v: number): this {
    this.code.push(0x41);
    sleb(v | 0, this.code);
    return this;
  }
  f32(v: number): this {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return this.op(0x43, ...b);
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  shl(): this {
    return this.op(0x74);
  }
  ltS(): this {
    return this.op(0x48);
  }
  geS(): this {
    return this.op(0x4e);
  }
  eqz(): this {
    return this.op(0x45);
  }
  fadd(): this {
    return this.op(0x92);
  }
  fsub(): this {
    return this.op(0x93);
  }
  fmul(): this {
    return this.op(0x94);
  }
  fload(offset = 0): this {
    this.op(0x2a, 2);
    uleb(offset, this.code);
    return this;
  }
  fstore(offset = 0): this {
    this.op(0x38, 2);
    uleb(offset, this.code);
    return this;
  }
  vload(offset = 0): this {
    this.simd(0x00, 4);
    uleb(offset, this.code);
    return this;
  }
  vstore(offset = 0): this {
    this.simd(0x0b, 4);
    uleb(offset, this.code);
    return this;
  }
  splat(): this {
    return this.simd(0x13);
  }
  lane(i: number): this {
    return this.simd(0x1f, i);
  }
  vadd(): this {
    return this.simd(0xe4);
  }
  vsub(): this {
    return this.simd(0xe5);
  }
  vmul(): this {
    return this.simd(0xe6);
  }
  vdiv(): this {
    return this.simd(0xe7);
  }
  vmin(): this {
    return this.simd(0xe8);
  }
  vmax(): this {
    return this.simd(0xe9);
  }
  vsqrt(): this {
    return this.simd(0xe3);
  }
  vgt(): this {
    return this.simd(0x44);
  }
  vand(): this {
    return this.simd(0x4e);
  }
  vzero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }
  /** if (cond on stack) { body } */
  ifThen(body: () => void): this {
    this.op(0x04, 0x40);
    body();
    return this.op(0x0b);
  }
  /**
   * for (v = from; v < to; v += step) body — `from`, `to` are emitters pushing an i32; `to` is re-evaluated each
   * iteration (keep it a local.get).
   */
  loop(v: string, from: () => void, to: () => void, step: number, body: () => void): this {
    from();
    this.set(v);
    this.op(0x02, 0x40); // block
    this.get(v);
    to();
    this.geS();
    this.op(0x0d, 0); // br_if 0 (skip)
    this.op(0x03, 0x40); // loop
    body();
    this.get(v).i32(step).add().tee(v);
    to();
    this.ltS();
    this.op(0x0d, 0); // br_if loop
    this.op(0x0b, 0x0b); // end loop, end block
    return this;
  }

  /** The encoded body (locals + code + end). */
  body(): number[] {
    const out: number[] = [];
    const groups: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    uleb(groups.length, out);
    for (const [n, t] of groups) {
      uleb(n, out);
      out.push(t);
    }
    out.push(...this.code, 0x0b);
    const sized: number[] = [];
    uleb(out.length, sized);
    return sized.concat(out);
  }
}

function section(id: number, content: number[]): number[] {
  const out = [id];
  uleb(content.length, out);
  return out.concat(content);
}

function name(s: string, out: number[]): void {
  const b = Buffer.from(s, 'utf8');
  uleb(b.length, out);
  out.push(...b);
}

/** Assemble a module importing memory `env.memory` and exporting every function by name. */
export function assemble(fns: readonly Fn[]): Uint8Array {
  const types: number[] = [];
  uleb(fns.length, types);
  for (const f of fns) {
    types.push(0x60);
    uleb(f.params.length, types);
    for (const [, t] of f.params) types.push(t);
    uleb(f.results.length, types);
    types.push(...f.results);
  }
  const imports: number[] = [1];
  name('env', imports);
  name('memory', imports);
  imports.push(0x02, 0x00, 1); // memory, limits min=1 no max
  const funcs: number[] = [];
  uleb(fns.length, funcs);
  fns.forEach((_, i) => uleb(i, funcs));
  const exports: number[] = [];
  uleb(fns.length, exports);
  fns.forEach((f, i) => {
    name(f.name, exports);
    exports.push(0x00);
    uleb(i, exports);
  });
  const code: number[] = [];
  uleb(fns.length, code);
  for (const f of fns) code.push(...f.body());
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
