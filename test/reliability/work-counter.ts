// Counts the work a call does, instead of timing it: tree-sitter calls (weighted by what they
// return or cover), characters scanned by regular expressions and string searches, and the size of
// the findings produced. Counting is deterministic, so a test can compare sizes N and 4N exactly.
import { parsePython } from '../../src/engine/index.js';

export interface Work {
  /** tree-sitter calls; text and child lists weigh their length, descendantsOfType its subtree. */
  native: number;
  /** Characters regular expressions and string searches looked at. */
  scanned: number;
  /** Elements JavaScript array loops and array methods stepped through (a list searched per hit shows here). */
  steps: number;
}

type Patch = { target: object; key: PropertyKey; descriptor: PropertyDescriptor };

function protoWith(obj: object, key: string): object {
  for (let p: object | null = obj; p; p = Object.getPrototypeOf(p)) if (Object.prototype.hasOwnProperty.call(p, key)) return p;
  throw new Error(`no prototype of ${String(obj)} has ${key}`);
}

const counters: Work = { native: 0, scanned: 0, steps: 0 };

function weightOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return 1 + value.length;
  return 1;
}

function install(): Patch[] {
  const tree = parsePython('x = 1\n');
  const nodeProto = protoWith(tree.rootNode, 'descendantForIndex');
  const cursorProto = protoWith(tree.walk(), 'gotoFirstChild');
  const patches: Patch[] = [];
  const wrap = (target: object, key: string, weight: (self: any, args: unknown[], value: unknown) => number) => {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (!descriptor) return;
    patches.push({ target, key, descriptor });
    if (descriptor.get) {
      const get = descriptor.get;
      Object.defineProperty(target, key, {
        ...descriptor,
        get(this: unknown) {
          const value = get.call(this);
          counters.native += weight(this, [], value);
          return value;
        },
      });
    } else if (typeof descriptor.value === 'function') {
      const fn = descriptor.value as (...a: unknown[]) => unknown;
      Object.defineProperty(target, key, {
        ...descriptor,
        value: function (this: unknown, ...args: unknown[]) {
          const value = fn.apply(this, args);
          counters.native += weight(this, args, value);
          return value;
        },
      });
    }
  };
  for (const key of Object.getOwnPropertyNames(nodeProto)) {
    if (key === 'constructor' || key === 'tree') continue;
    if (key === 'descendantsOfType') {
      // Native work: the subtree it walks, not the few nodes it returns.
      const count = Object.getOwnPropertyDescriptor(nodeProto, 'descendantCount')!.get!;
      wrap(nodeProto, key, (self, _a, value) => count.call(self) + weightOf(value));
    } else wrap(nodeProto, key, (_s, _a, value) => weightOf(value));
  }
  for (const key of Object.getOwnPropertyNames(cursorProto)) if (key !== 'constructor') wrap(cursorProto, key, () => 1);

  // Regular expressions: every match goes through exec (RegExp.prototype[Symbol.*] call it when it is replaced).
  const exec = RegExp.prototype.exec;
  patches.push({ target: RegExp.prototype, key: 'exec', descriptor: Object.getOwnPropertyDescriptor(RegExp.prototype, 'exec')! });
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    const from = this.global || this.sticky ? this.lastIndex : 0;
    const m = exec.call(this, s);
    const input = String(s);
    counters.scanned += 1 + (this.sticky ? (m ? m[0].length : 0) : m ? m.index + m[0].length - from : input.length - from);
    return m;
  };
  // String searches: the characters up to where the search stopped; whole-string operations: all of it.
  const indexOf = String.prototype.indexOf;
  const looked: Record<string, (self: string, args: unknown[], value: unknown) => number> = {
    indexOf: (self, args, value) => ((value as number) >= 0 ? (value as number) + String(args[0]).length : self.length) - Math.max(0, Number(args[1] ?? 0) || 0),
    includes: (self, args) => {
      const at = indexOf.call(self, String(args[0]), Number(args[1] ?? 0) || 0);
      return (at >= 0 ? at + String(args[0]).length : self.length) - Math.max(0, Number(args[1] ?? 0) || 0);
    },
    // Backwards from the position given (the end by default) to where it stopped.
    lastIndexOf: (self, args, value) => {
      const from = args[1] === undefined ? self.length : Math.min(self.length, Math.max(0, Number(args[1]) || 0) + String(args[0]).length);
      return (value as number) >= 0 ? from - (value as number) : from;
    },
    replace: (self, args) => {
      const at = indexOf.call(self, String(args[0]));
      return at >= 0 ? at + String(args[0]).length : self.length;
    },
  };
  for (const key of ['indexOf', 'lastIndexOf', 'includes', 'split', 'replace', 'replaceAll', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'repeat'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(String.prototype, key)!;
    const fn = descriptor.value as (...a: unknown[]) => unknown;
    patches.push({ target: String.prototype, key, descriptor });
    Object.defineProperty(String.prototype, key, {
      ...descriptor,
      value: function (this: string, ...args: unknown[]) {
        const value = fn.apply(this, args);
        // A regex argument is counted by exec.
        if (!(args[0] instanceof RegExp)) counters.scanned += 1 + (looked[key] ? looked[key](String(this), args, value) : this.length);
        return value;
      },
    });
  }
  // Array loops: for-of and spreads step the iterator; callback methods call back once per element
  // visited; includes/indexOf look up to where they stop.
  const values = Array.prototype[Symbol.iterator];
  patches.push({ target: Array.prototype, key: Symbol.iterator, descriptor: Object.getOwnPropertyDescriptor(Array.prototype, Symbol.iterator)! });
  Object.defineProperty(Array.prototype, Symbol.iterator, {
    configurable: true,
    writable: true,
    value: function (this: unknown[]) {
      const it = values.call(this);
      return {
        next() {
          counters.steps++;
          return it.next();
        },
        [Symbol.iterator]() {
          return this;
        },
      };
    },
  });
  for (const key of ['some', 'every', 'find', 'findIndex', 'filter', 'map', 'flatMap', 'forEach', 'reduce'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(Array.prototype, key)!;
    const fn = descriptor.value as (this: unknown[], cb: (...a: unknown[]) => unknown, ...rest: unknown[]) => unknown;
    patches.push({ target: Array.prototype, key, descriptor });
    Object.defineProperty(Array.prototype, key, {
      ...descriptor,
      value: function (this: unknown[], cb: (...a: unknown[]) => unknown, ...rest: unknown[]) {
        counters.steps++;
        if (typeof cb !== 'function') return fn.call(this, cb, ...rest);
        return fn.call(
          this,
          function (this: unknown, ...a: unknown[]) {
            counters.steps++;
            return cb.apply(this, a);
          },
          ...rest,
        );
      },
    });
  }
  for (const key of ['includes', 'indexOf'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(Array.prototype, key)!;
    const fn = descriptor.value as (this: unknown[], ...a: unknown[]) => unknown;
    const indexOfArray = Array.prototype.indexOf;
    patches.push({ target: Array.prototype, key, descriptor });
    Object.defineProperty(Array.prototype, key, {
      ...descriptor,
      value: function (this: unknown[], ...a: unknown[]) {
        const at = indexOfArray.call(this, a[0]);
        counters.steps += 1 + (at >= 0 ? at + 1 : this.length);
        return fn.apply(this, a);
      },
    });
  }
  return patches;
}

function uninstall(patches: Patch[]): void {
  for (const p of patches.reverse()) Object.defineProperty(p.target, p.key, p.descriptor);
}

/** Runs `fn` with the counters on; returns its result and the work it did. */
export function countWork<T>(fn: () => T): { result: T; work: Work } {
  const patches = install();
  counters.native = 0;
  counters.scanned = 0;
  counters.steps = 0;
  try {
    const result = fn();
    return { result, work: { ...counters } };
  } finally {
    uninstall(patches);
  }
}
