import { describe, expect, it } from 'vitest';
import { rule } from '../../rules/pw003-sync-http-client.js';
import { ruleTester, run, workerFiles, type Profile } from '../helpers/rule-tester.js';

const PY312: Profile = { date: '2025-03-10' };
const PY313: Profile = { date: '2025-11-01' };
const PY314: Profile = { date: '2025-11-01', flags: ['python_workers_20260610'] };

const handler = (line: string) =>
  `import requests\nfrom workers import Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        ${line}\n        return Response(resp.text)\n`;

ruleTester(rule, {
  valid: [
    { name: 'requests on Python 3.13 (python-workers-examples 16-sync-http-clients)', profile: PY313, code: handler('resp = requests.get("https://example.com")') },
    {
      name: 'httpx.Client and urllib3 on Python 3.13',
      profile: PY313,
      code: 'import httpx\nimport urllib3\n\ndef load(url):\n    with httpx.Client() as client:\n        a = client.get(url)\n    return urllib3.PoolManager().request("GET", url), a\n',
    },
    {
      name: 'async clients on Python 3.12',
      profile: PY312,
      code: 'import aiohttp\nimport httpx\nfrom js import fetch\n\nasync def load(url):\n    async with httpx.AsyncClient() as client:\n        a = await client.get(url)\n    async with aiohttp.ClientSession() as session:\n        b = await session.get(url)\n    return a, b, await fetch(url)\n',
    },
    { name: 'urllib.request on Python 3.14 (raw sockets work)', profile: PY314, code: 'from urllib.request import urlopen\n\ndef load(url):\n    return urlopen(url).read()\n' },
    { name: 'requests on Python 3.14', profile: PY314, code: 'import requests\n\nr = requests.get("https://example.com")\n' },
    { name: 'names in strings and comments', profile: PY312, code: '# requests.get(url) is not allowed here\nHELP = "call requests.get(url) or urllib.request.urlopen(url)"\n' },
    { name: 'parameter shadows the import', profile: PY312, code: 'import requests\n\ndef load(requests, url):\n    return requests.get(url)\n' },
    { name: 'import without a call', profile: PY312, code: 'import requests\n\nTIMEOUT = requests.codes.ok\n' },
    { name: 'building a urllib Request does not connect', profile: PY313, code: 'from urllib.request import Request\n\nreq = Request("https://example.com", method="POST")\n' },
    { name: 'unknown runtime (file outside any Worker) is skipped', profile: { noWorker: true }, code: 'import js\nimport requests\n\nr = requests.get("https://example.com")\n' },
    { name: 'plain Python outside any Worker is not Worker code', profile: { noWorker: true }, code: 'import requests\n\nr = requests.get("https://example.com")\n' },
    { name: 'a local module named like a client', profile: PY312, code: 'from .clients import requests\n\nr = requests.get("x")\n' },
    // Text-first edges: words no import starts with, and hits that are no callee, are dropped.
    {
      name: 'names that only look like clients',
      profile: PY312,
      code: 'from urllib.parse import urlparse, quote\n\nhttp = "http://example.com"\nrequests = [urlparse(http)]\nurllib = {"requests": requests}\nprint(urllib, requests.count(http))\n',
    },
  ],
  invalid: [
    {
      name: 'aliased import inside an async handler, with an httpx sketch',
      profile: PY312,
      code: 'import requests as r\n\nasync def load(url):\n    page = r.get(url, timeout=5)\n    return page.text\n',
      errors: [{ line: 4, column: 12, endLine: 4, endColumn: 33, message: /`requests\.get` makes a blocking HTTP request, which fails on the Python 3\.12 runtime/ }],
      output: null,
    },
    {
      name: 'from-import of a verb at module level',
      profile: { date: '2025-09-28' },
      code: 'from requests import get as fetch_page\n\nPAGE = fetch_page("https://example.com").text\n',
      errors: [{ line: 3, column: 8, endColumn: 41, message: /Python 3\.12/ }],
      output: null,
    },
    {
      name: 'urlopen on Python 3.13',
      profile: PY313,
      code: 'from urllib.request import Request, urlopen\n\ndef post(url, data):\n    req = Request(url, data=data)\n    with urlopen(req, timeout=10) as resp:\n        return resp.read()\n',
      errors: [{ line: 5, column: 10, endColumn: 34, message: /raw sockets, which only the Python 3\.14 runtime provides \(this Worker runs Python 3\.13\): use `requests`/ }],
      output: null,
    },
    {
      name: 'httpx.Client and module-level httpx.post on Python 3.12',
      profile: PY312,
      code: 'import httpx\n\ndef push(url, body):\n    httpx.post(url, json=body)\n    with httpx.Client(timeout=10) as client:\n        return client.get(url)\n',
      errors: [
        { line: 4, column: 5, message: /`httpx\.post`/ },
        { line: 5, column: 10, endColumn: 34, message: /`httpx\.Client`/ },
      ],
      output: null,
    },
    {
      name: 'http.client on Python 3.12 (opt-out of the 3.13 runtime)',
      profile: { date: '2025-11-01', flags: ['no_python_workers_20250116'] },
      code: 'import http.client\n\ndef ping(host):\n    conn = http.client.HTTPSConnection(host)\n    conn.request("HEAD", "/")\n',
      errors: [{ line: 4, column: 12, message: /`http\.client\.HTTPSConnection` opens raw sockets.*Python 3\.12\): use `httpx\.AsyncClient`/ }],
      output: null,
    },
    {
      name: 'urllib3 pool manager and requests.Session on Python 3.12',
      profile: PY312,
      code: 'import urllib3\nfrom requests import Session\n\nPOOL = urllib3.PoolManager()\nSESSION = Session()\n',
      errors: [
        { line: 4, column: 8, message: /`urllib3\.PoolManager`/ },
        { line: 5, column: 11, message: /`requests\.Session`/ },
      ],
      output: null,
    },
    {
      name: 'yield from a blocking call',
      profile: PY312,
      code: 'import requests\n\ndef pages(urls):\n    for u in urls:\n        yield from requests.get(u).iter_lines()\n',
      errors: [{ line: 5, column: 20, endColumn: 35 }],
      output: null,
    },
    {
      name: 'a callee split over lines with a comment',
      profile: PY312,
      code: 'import requests\n\nasync def f(u):\n    resp = (requests  # blocking\n        .get(u))\n    return resp\n',
      errors: [{ line: 4, column: 13, endLine: 5 }],
      output: null,
    },
    {
      name: 'urlopen imported under another name next to urllib.parse (3.13)',
      profile: PY313,
      code: 'from urllib.parse import urlparse\nfrom urllib.request import urlopen as get_url\n\ndef f(u):\n    urlparse(u)\n    return get_url(u)\n',
      errors: [{ line: 6, column: 12, endColumn: 22, message: /`urllib.request.urlopen` opens raw sockets/ }],
      output: null,
    },
    {
      name: 'CRLF line ends',
      profile: PY312,
      code: 'import requests\r\n\r\ndef f(u):\r\n    return requests.get(u)\r\n',
      errors: [{ line: 4, column: 12, endColumn: 27 }],
      output: null,
    },
    {
      name: 'a file with a syntax error',
      profile: PY312,
      code: 'import requests\n\ndef f(u):\n    return requests.get(u)\n\nprint(1 +)\n',
      errors: [{ line: 4, column: 12, endColumn: 27 }],
      output: null,
    },
  ],
});

describe('PW003 httpx sketch', () => {
  const fixOf = (code: string, profile: Profile = PY312) => run(rule, workerFiles(profile, 'src/entry.py', code), 'src/entry.py')[0]?.fix;

  it('rewrites an assignment in an async def into an AsyncClient block, shown only', () => {
    const fix = fixOf(handler('resp = requests.post(URL, json={"a": 1}, timeout=5)'));
    expect(fix?.applicability).toBe('display');
    expect(fix?.edits).toEqual([
      {
        line: 6,
        column: 9,
        endLine: 6,
        endColumn: 60,
        text: 'async with AsyncClient(follow_redirects=True) as client:\n            resp = await client.post(URL, json={"a": 1}, timeout=5)',
      },
      { line: 3, column: 1, endLine: 3, endColumn: 1, text: 'from httpx import AsyncClient\n' },
    ]);
  });

  it('reuses `import httpx` and keeps HEAD without redirects', () => {
    const fix = fixOf('import httpx\nimport requests\n\nasync def probe(url):\n    requests.head(url)\n');
    expect(fix?.edits).toEqual([{ line: 5, column: 5, endLine: 5, endColumn: 23, text: 'async with httpx.AsyncClient() as client:\n        await client.head(url)' }]);
  });

  it('offers nothing where the rewrite is not mechanical', () => {
    expect(fixOf('import requests\n\ndef load(url):\n    return requests.get(url)\n')).toBeUndefined(); // not async
    expect(fixOf(handler('resp = requests.get(URL, allow_redirects=False)'))).toBeUndefined(); // keyword httpx names differently
    expect(fixOf(handler('resp = requests.get(URL).json()'))).toBeUndefined(); // not the whole statement
  });
});
