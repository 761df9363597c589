/**
 * WebAssembly SIMD kernels for small dense networks (forward, backward, Adam), emitted with kernels/asm.ts.
 * All pointers are byte offsets into the imported memory; every row width passed here is a multiple of 4
 * (callers pad layers with zero columns) and every buffer is 16-byte aligned.
 *
 * @module
 */
import { assemble, Fn, T } from './asm.js';
import { wasmApi, type WasmModule } from './wasm-api.js';

const I = T.i32;
const F = T.f32;
const V = T.v128;

/**
 * dense(x, M, K, w, N, b, y, relu): y[MxN] = act(x[MxK] . w[KxN] + b).
 * Register-blocked: two rows x 16 outputs per inner loop (8 accumulators share 4 weight loads), then a one-row
 * pass for an odd last row, and 4-wide tails when N is not a multiple of 16.
 */
function dense(): Fn {
  const accs = (r: number, q: number): string => `a${r}${q}`;
  const locals: [string, typeof I | typeof V][] = [
    ['i', I], ['j', I], ['kx', I], ['kend', I], ['wp', I], ['n4', I], ['j16', I], ['m1', I],
    ['xr0', I], ['xr1', I], ['yr0', I], ['yr1', I],
    ['zero', V], ['s0', V], ['s1', V], ['w0', V], ['w1', V], ['w2', V], ['w3', V],
  ];
  for (let r = 0; r < 2; r++) for (let q = 0; q < 4; q++) locals.push([accs(r, q), V]);
  const f = new Fn('dense', [['x', I], ['M', I], ['K', I], ['w', I], ['N', I], ['b', I], ['y', I], ['relu', I]], [], locals);
  f.get('N').i32(2).shl().set('n4');
  f.get('N').i32(-15).add().set('j16'); // j + 16 <= N  <=>  j < N - 15
  f.get('K').i32(2).shl().set('kend');
  f.get('M').i32(-1).add().set('m1');
  f.vzero().set('zero');

  const rowsBody = (R: number): void => {
    for (let r = 0; r < R; r++) {
      f.get('x').get('i').i32(r).add().get('K').mul().i32(2).shl().add().set(`xr${r}`);
      f.get('y').get('i').i32(r).add().get('n4').mul().add().set(`yr${r}`);
    }
    const block = (Q: number, jFrom: () => void, jTo: () => void): void => {
      f.loop('j', jFrom, jTo, 4 * Q, () => {
        for (let r = 0; r < R; r++) {
          for (let q = 0; q < Q; q++) f.get('b').get('j').i32(2).shl().add().vload(16 * q).set(accs(r, q));
        }
        f.get('w').get('j').i32(2).shl().add().set('wp');
        f.loop('kx', () => f.i32(0), () => f.get('kend'), 4, () => {
          for (let r = 0; r < R; r++) f.get(`xr${r}`).get('kx').add().fload(0).splat().set(`s${r}`);
          for (let q = 0; q < Q; q++) f.get('wp').vload(16 * q).set(`w${q}`);
          for (let r = 0; r < R; r++) {
            for (let q = 0; q < Q; q++) f.get(accs(r, q)).get(`s${r}`).get(`w${q}`).vmul().vadd().set(accs(r, q));
          }
          f.get('wp').get('n4').add().set('wp');
        });
        f.get('relu').ifThen(() => {
          for (let r = 0; r < R; r++) for (let q = 0; q < Q; q++) f.get(accs(r, q)).get('zero').vmax().set(accs(r, q));
        });
        for (let r = 0; r < R; r++) {
          for (let q = 0; q < Q; q++) f.get(`yr${r}`).get('j').i32(2).shl().add().get(accs(r, q)).vstore(16 * q);
        }
      });
    };
    block(4, () => f.i32(0), () => f.get('j16'));
    block(1, () => f.get('j'), () => f.get('N'));
  };
  f.loop('i', () => f.i32(0), () => f.get('m1'), 2, () => rowsBody(2));
  f.loop('i', () => f.get('i'), () => f.get('M'), 1, () => rowsBody(1));
  return f;
}

/** backInput(dy, M, N, w, K, dx): dx[MxK] = dy[MxN] . w[KxN]^T. */
function backInput(): Fn {
  const f = new Fn(
    'backInput',
    [['dy', I], ['M', I], ['N', I], ['w', I], ['K', I], ['dx', I]],
    [],
    [['i', I], ['k', I], ['j', I], ['dyrow', I], ['wrow', I], ['dxrow', I], ['acc', V]],
  );
  f.loop('i', () => f.i32(0), () => f.get('M'), 1, () => {
    f.get('dy').get('i').get('N').mul().i32(2).shl().add().set('dyrow');
    f.get('dx').get('i').get('K').mul().i32(2).shl().add().set('dxrow');
    f.loop('k', () => f.i32(0), () => f.get('K'), 1, () => {
      f.get('w').get('k').get('N').mul().i32(2).shl().add().set('wrow');
      f.vzero().set('acc');
      f.loop('j', () => f.i32(0), () => f.get('N'), 4, () => {
        f.get('acc');
        f.get('dyrow').get('j').i32(2).shl().add().vload(0);
        f.get('wrow').get('j').i32(2).shl().add().vload(0);
        f.vmul().vadd().set('acc');
      });
      f.get('dxrow').get('k').i32(2).shl().add();
      f.get('acc').lane(0).get('acc').lane(1).fadd().get('acc').lane(2).get('acc').lane(3).fadd().fadd();
      f.fstore(0);
    });
  });
  return f;
}

/** backWeight(x, M, K, dy, N, dw, db): dw[KxN] = x^T . dy, db[N] = column sums of dy (both overwritten). */
function backWeight(): Fn {
  const f = new Fn(
    'backWeight',
    [['x', I], ['M', I], ['K', I], ['dy', I], ['N', I], ['dw', I], ['db', I]],
    [],
    [['i', I], ['k', I], ['j', I], ['p', I], ['end', I], ['dyrow', I], ['xrow', I], ['wrow', I], ['s', V]],
  );
  // zero dw and db
  f.get('dw').get('K').get('N').mul().i32(2).shl().add().set('end');
  f.loop('p', () => f.get('dw'), () => f.get('end'), 16, () => void f.get('p').vzero().vstore(0));
  f.get('db').get('N').i32(2).shl().add().set('end');
  f.loop('p', () => f.get('db'), () => f.get('end'), 16, () => void f.get('p').vzero().vstore(0));
  f.loop('i', () => f.i32(0), () => f.get('M'), 1, () => {
    f.get('dy').get('i').get('N').mul().i32(2).shl().add().set('dyrow');
    f.get('x').get('i').get('K').mul().i32(2).shl().add().set('xrow');
    f.loop('j', () => f.i32(0), () => f.get('N'), 4, () => {
      f.get('db').get('j').i32(2).shl().add();
      f.get('db').get('j').i32(2).shl().add().vload(0);
      f.get('dyrow').get('j').i32(2).shl().add().vload(0);
      f.vadd().vstore(0);
    });
    f.loop('k', () => f.i32(0), () => f.get('K'), 1, () => {
      f.get('xrow').get('k').i32(2).shl().add().fload(0);
      f.splat().set('s');
      f.get('dw').get('k').get('N').mul().i32(2).shl().add().set('wrow');
      f.loop('j', () => f.i32(0), () => f.get('N'), 4, () => {
        f.get('wrow').get('j').i32(2).shl().add();
        f.get('wrow').get('j').i32(2).shl().add().vload(0);
        f.get('s').get('dyrow').get('j').i32(2).shl().add().vload(0).vmul();
        f.vadd().vstore(0);
      });
    });
  });
  return f;
}

/** reluBack(d, h, count): d *= (h > 0), elementwise over `count` floats. */
function reluBack(): Fn {
  const f = new Fn('reluBack', [['d', I], ['h', I], ['count', I]], [], [['p', I], ['end', I], ['q', I], ['zero', V]]);
  f.vzero().set('zero');
  f.get('d').get('count').i32(2).shl().add().set('end');
  f.get('h').set('q');
  f.loop('p', () => f.get('d'), () => f.get('end'), 16, () => {
    f.get('p');
    f.get('p').vload(0).get('q').vload(0).get('zero').vgt().vand();
    f.vstore(0);
    f.get('q').i32(16).add().set('q');
  });
  return f;
}

/**
 * The odd 13/6 rational minimax approximation of tanh used by Eigen, XLA and ONNX Runtime (MLAS): a few float32 ulp
 * from `Math.tanh` over the whole range, exact ±1 beyond the clamp where tanh rounds to ±1 in float32.
 */
const TANH_CLAMP = 7.90531110763549805;
const TANH_P = [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3];
const TANH_Q = [1.19825839466702e-6, 1.18534705686654e-4, 2.2684346324390e-3, 4.89352518554385e-3];

/** tanhInPlace(p, count): p = tanh(p), elementwise over `count` floats. */
function tanhInPlace(): Fn {
  const locals: [string, typeof I | typeof V][] = [['i', I], ['end', I], ['x', V], ['x2', V], ['num', V], ['den', V], ['lo', V], ['hi', V]];
  TANH_P.forEach((_, i) => locals.push([`p${i}`, V]));
  TANH_Q.forEach((_, i) => locals.push([`q${i}`, V]));
  const f = new Fn('tanhInPlace', [['p', I], ['count', I]], [], locals);
  TANH_P.forEach((c, i) => void f.f32(c).splat().set(`p${i}`));
  TANH_Q.forEach((c, i) => void f.f32(c).splat().set(`q${i}`));
  f.f32(-TANH_CLAMP).splat().set('lo');
  f.f32(TANH_CLAMP).splat().set('hi');
  f.get('p').get('count').i32(2).shl().add().set('end');
  f.loop('i', () => f.get('p'), () => f.get('end'), 16, () => {
    f.get('i').vload(0).get('lo').vmax().get('hi').vmin().set('x');
    f.get('x').get('x').vmul().set('x2');
    f.get('p0').set('num');
    for (let k = 1; k < TANH_P.length; k++) f.get('num').get('x2').vmul().get(`p${k}`).vadd().set('num');
    f.get('q0').set('den');
    for (let k = 1; k < TANH_Q.length; k++) f.get('den').get('x2').vmul().get(`q${k}`).vadd().set('den');
    f.get('i');
    f.get('num').get('x').vmul().get('den').vdiv();
    f.vstore(0);
  });
  return f;
}

/** tanhBack(d, h, count): d *= 1 - h^2 (h = tanh output), elementwise over `count` floats. */
function tanhBack(): Fn {
  const f = new Fn('tanhBack', [['d', I], ['h', I], ['count', I]], [], [['p', I], ['end', I], ['q', I], ['one', V], ['hv', V]]);
  f.f32(1).splat().set('one');
  f.get('d').get('count').i32(2).shl().add().set('end');
  f.get('h').set('q');
  f.loop('p', () => f.get('d'), () => f.get('end'), 16, () => {
    f.get('q').vload(0).set('hv');
    f.get('p');
    f.get('p').vload(0).get('one').get('hv').get('hv').vmul().vsub().vmul();
    f.vstore(0);
    f.get('q').i32(16).add().set('q');
  });
  return f;
}

/** mseGrad(y, x, count, scale, dy) -> sum((y-x)^2); dy = scale * (y - x). */
function mseGrad(): Fn {
  const f = new Fn(
    'mseGrad',
    [['y', I], ['x', I], ['count', I], ['scale', F], ['dy', I]],
    [F],
    [['i', I], ['d', V], ['acc', V], ['sc', V]],
  );
  f.vzero().set('acc');
  f.get('scale').splat().set('sc');
  f.loop('i', () => f.i32(0), () => { f.get('count').i32(2).shl(); }, 16, () => {
    f.get('y').get('i').add().vload(0).get('x').get('i').add().vload(0).vsub().set('d');
    f.get('acc').get('d').get('d').vmul().vadd().set('acc');
    f.get('dy').get('i').add().get('d').get('sc').vmul().vstore(0);
  });
  f.get('acc').lane(0).get('acc').lane(1).fadd().get('acc').lane(2).get('acc').lane(3).fadd().fadd();
  return f;
}

/** sumSq(p, count) -> sum(p^2). */
function sumSq(): Fn {
  const f = new Fn('sumSq', [['p', I], ['count', I]], [F], [['i', I], ['v', V], ['acc', V]]);
  f.vzero().set('acc');
  f.loop('i', () => f.i32(0), () => { f.get('count').i32(2).shl(); }, 16, () => {
    f.get('p').get('i').add().vload(0).set('v');
    f.get('acc').get('v').get('v').vmul().vadd().set('acc');
  });
  f.get('acc').lane(0).get('acc').lane(1).fadd().get('acc').lane(2).get('acc').lane(3).fadd().fadd();
  return f;
}

/** axpy(x, y, count, a): y += a * x. */
function axpy(): Fn {
  const f = new Fn('axpy', [['x', I], ['y', I], ['count', I], ['a', F]], [], [['i', I], ['av', V]]);
  f.get('a').splat().set('av');
  f.loop('i', () => f.i32(0), () => { f.get('count').i32(2).shl(); }, 16, () => {
    f.get('y').get('i').add();
    f.get('y').get('i').add().vload(0).get('x').get('i').add().vload(0).get('av').vmul().vadd();
    f.vstore(0);
  });
  return f;
}

/**
 * adam(p, g, m, v, count, b1, b2, c1, c2, lr, eps): the tfjs Adam update —
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p += -lr * (m / c1) / (sqrt(v / c2) + eps), with c = 1 - beta^t.
 */
function adam(): Fn {
  const f = new Fn(
    'adam',
    [['p', I], ['g', I], ['m', I], ['v', I], ['count', I], ['b1', F], ['b2', F], ['c1', F], ['c2', F], ['lr', F], ['eps', F]],
    [],
    [['i', I], ['gv', V], ['mv', V], ['vv', V], ['B1', V], ['B2', V], ['O1', V], ['O2', V], ['C1', V], ['C2', V], ['LR', V], ['EPS', V]],
  );
  f.get('b1').splat().set('B1');
  f.get('b2').splat().set('B2');
  f.f32(1).get('b1').fsub().splat().set('O1');
  f.f32(1).get('b2').fsub().splat().set('O2');
  f.get('c1').splat().set('C1');
  f.get('c2').splat().set('C2');
  f.get('lr').splat().set('LR');
  f.get('eps').splat().set('EPS');
  f.loop('i', () => f.i32(0), () => { f.get('count').i32(2).shl(); }, 16, () => {
    f.get('g').get('i').add().vload(0).set('gv');
    f.get('m').get('i').add().vload(0).get('B1').vmul().get('gv').get('O1').vmul().vadd().set('mv');
    f.get('v').get('i').add().vload(0).get('B2').vmul().get('gv').get('gv').vmul().get('O2').vmul().vadd().set('vv');
    f.get('m').get('i').add().get('mv').vstore(0);
    f.get('v').get('i').add().get('vv').vstore(0);
    f.get('p').get('i').add();
    f.get('p').get('i').add().vload(0);
    f.get('mv').get('C1').vdiv().get('vv').get('C2').vdiv().vsqrt().get('EPS').vadd().vdiv().get('LR').vmul();
    f.vsub().vstore(0);
  });
  return f;
}

/** The assembled module bytes (built once). */
let bytes: Uint8Array | null = null;
/** Module bytes for all kernels. */
export function kernelModuleBytes(): Uint8Array {
  bytes ??= assemble([dense(), backInput(), backWeight(), reluBack(), tanhInPlace(), tanhBack(), mseGrad(), sumSq(), axpy(), adam()]);
  return bytes;
}

/** The exported kernel functions. */
export interface Kernels {
  dense(x: number, M: number, K: number, w: number, N: number, b: number, y: number, relu: number): void;
  backInput(dy: number, M: number, N: number, w: number, K: number, dx: number): void;
  backWeight(x: number, M: number, K: number, dy: number, N: number, dw: number, db: number): void;
  reluBack(d: number, h: number, count: number): void;
  tanhInPlace(p: number, count: number): void;
  tanhBack(d: number, h: number, count: number): void;
  mseGrad(y: number, x: number, count: number, scale: number, dy: number): number;
  sumSq(p: number, count: number): number;
  axpy(x: number, y: number, count: number, a: number): void;
  adam(p: number, g: number, m: number, v: number, count: number, b1: number, b2: number, c1: number, c2: number, lr: number, eps: number): void;
}

let compiled: WasmModule | null | undefined;
/** The compiled module, or null when this runtime lacks WebAssembly SIMD. */
export function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const b = kernelModuleBytes();
      if (wasmApi !== null && wasmApi.validate(b)) compiled = new wasmApi.Module(b);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}
