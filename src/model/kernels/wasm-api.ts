/**
 * The part of the WebAssembly JS API the kernels use, typed locally (the project's `lib` has no DOM types).
 *
 * @module
 */

/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}
/** A linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/** The runtime's WebAssembly namespace, or null when there is none. */
export const wasmApi: WasmApi | null =
  (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly ?? null;
