"""A deterministic stand-in used for previews, so screenshots do not change.

`random` below is a module-level *object* of this file, not the stdlib module,
which is never imported here; calling it at import time consumes no entropy.
"""


class CyclingDice:
    def __init__(self, faces, start=0):
        self.faces = faces
        self.position = start

    def randint(self, low, high):
        self.position = (self.position + 1) % self.faces
        return low + self.position % (high - low + 1)


random = CyclingDice(faces=6)
PREVIEW_ROLL = random.randint(1, 6)
