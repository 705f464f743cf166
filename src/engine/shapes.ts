// Objects kept for the life of the process so that V8 keeps the shapes the engine's optimized code
// was built for. V8 holds the shape (map) of a class instance weakly: a full GC that finds no live
// instance of one drops it and deoptimizes every function compiled against it ("weak objects" in
// --trace-deopt), and the next files run slower while V8 compiles them again. node-tree-sitter
// makes every node type a class of its own, and most files hold only some types; the runner's shape
// keeper holds the objects of the last small file only. With --trace-deopt, a full GC after 15
// analyses of the bench's 1 MB deoptimized lintPython, PythonSource.imports and the visitor
// dispatch; with these kept, only the TOML parser's tokenizer (a dependency's objects). In one
// measurement the first analysis after a full GC then cost about 20 ms of CPU less (of ~230).
import { PythonSource, type SyntaxNode } from './python.js';

/** A small Worker module with (nearly) every construct of the grammar: its nodes cover every node type of the bench corpus. */
export const SHAPES_MODULE = `"""Shapes."""
import json as _json, asyncio
from js import Object, fetch as js_fetch
from pyodide.ffi import to_js
from workers import Response, WorkerEntrypoint, handler
from . import sibling

X: int = 1  # a comment
Z = X / 2, False, "\\n"
Y = [1, 2.5, "a", b"b", f"{X!r:>{X}}", None, True, -X, not X, (X,), {X}, {"k": X}]


@handler
async def on_fetch(request, env, *args, key=None, **kwargs):
    global X
    if X is not None and X != 2 and X not in Y and (X + 1):
        X = "a" "b"
    try:
        async with env.LOCK as lock:
            for i, v in enumerate(range(3)):
                while X > 0 and i < 3 or X is None:
                    X -= 1
                    continue
                break
            else:
                pass
        if X == 1:
            raise ValueError("x") from None
        elif X:
            assert X, "y"
        else:
            del X
    except (KeyError, ValueError) as e:
        return None
    finally:
        pass
    rows = await env.DB.prepare("SELECT 1").bind(X).all()
    first = [r for r in rows.results if r] + list(x * 2 for x in Y)
    d = {k: v for k, v in {}.items()}
    s = {v for v in Y}
    f = lambda a, b=1: a[1:2] if a else b

    def kw(a: int, *, b) -> str:
        (p, q) = a, b
        if (n := len(Y)) > 1:
            return a
    y = yield X
    await js_fetch(to_js({"a": 1}, dict_converter=Object.fromEntries), method="POST")
    return Response(_json.dumps(first[0]), headers={"a": "b"})


class Default(WorkerEntrypoint):
    count = 0

    async def fetch(self, request):
        match request.method:
            case "GET" | "HEAD":
                return await on_fetch(request, self.env)
            case _:
                return Response.new("no", status=405)

    def __init__(self, *a, b=1):
        super().__init__(*a)
        self.count += 1 % 2 ** 3 // 4 << 1 >> 1 & 1 | 1 ^ 1
        print(*a, sep="", **{})
        with open("x") as f_, open("y"):
            nonlocal_ = [*a]
`;

let kept: readonly unknown[] | null = null;

/** Parses SHAPES_MODULE once and keeps one node of each type in it, and its import bindings. */
export function keepNodeShapes(): void {
  if (kept) return;
  const source = new PythonSource('shapes.py', SHAPES_MODULE);
  const nodes = new Map<string, SyntaxNode>();
  const cursor = source.root.walk();
  for (let done = false; !done; ) {
    if (!nodes.has(cursor.nodeType)) nodes.set(cursor.nodeType, cursor.currentNode);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
    }
  }
  kept = [source, source.imports(), [...nodes.values()]];
}
