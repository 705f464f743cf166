"""Helpers shared with the desktop till app (same repo, same module)."""
import secrets
import tkinter.font
from datetime import datetime, timezone


def make_order_id(prefix, entropy=secrets.token_hex(4)):
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"{prefix}_{stamp}_{entropy}"


def receipt_width(orders, family="Courier", size=10):
    """Width in pixels of the widest receipt line, as the till prints it."""
    face = tkinter.font.Font(family=family, size=size)
    lines = [f"{o['id']}  {o['customer']}  {o['total']:>8}" for o in orders]
    return max((face.measure(line) for line in lines), default=0)
