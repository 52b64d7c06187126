"""Writes a copy of a .dyc artifact, broken in one chosen way.

usage: corrupt_artifact.py MODE IN OUT
  short      keep the first 10 bytes
  magic      change the magic
  version    claim format version 7
  truncate   drop the last 100 bytes
  flip       flip one bit inside the WEIGHTS section
"""
import struct
import sys

SECTION_TABLE = 16
SECTION_ENTRY = 32
WEIGHTS = 2

mode, source, target = sys.argv[1:4]
blob = bytearray(open(source, "rb").read())
if mode == "short":
    blob = blob[:10]
elif mode == "magic":
    blob[1:4] = b"ELF"
elif mode == "version":
    struct.pack_into("<I", blob, 8, 7)
elif mode == "truncate":
    blob = blob[:-100]
elif mode == "flip":
    (count,) = struct.unpack_from("<I", blob, 12)
    for i in range(count):
        kind, _, offset, size, _ = struct.unpack_from(
            "<IIQQQ", blob, SECTION_TABLE + i * SECTION_ENTRY)
        if kind == WEIGHTS:
            blob[offset + size // 2] ^= 0x04
else:
    sys.exit("unknown mode " + mode)
open(target, "wb").write(blob)
