#!/usr/bin/env python3
"""Seed a local D1 database with fake feeds for `wrangler dev`.

Runs on a developer laptop, not inside a Worker: it belongs to no wrangler
config, so module-level requests and random calls are fine here.
"""
import random
import subprocess
import sys

import requests

random.seed(20251101)
WORDS = requests.get("https://www.mit.edu/~ecprice/wordlist.10000", timeout=30).text.split()


def fake_feed(n):
    name = "-".join(random.sample(WORDS, 2))
    return f"INSERT INTO feeds (id, url) VALUES ({n}, 'https://{name}.example.com/rss');"


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    sql = "\n".join(fake_feed(n) for n in range(1, count + 1))
    subprocess.run(
        ["npx", "wrangler", "d1", "execute", "feeds", "--local", "--command", sql],
        check=True,
    )
