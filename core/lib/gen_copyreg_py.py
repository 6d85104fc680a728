#!/usr/bin/env python3
"""Regenerate core/lib/copyreg_py.h from core/lib/copyreg_src.py.

    python3 core/lib/gen_copyreg_py.py

The header holds the source as one C string (one literal per line) that
core/lib/copyregmodule.c compiles when a program first imports copyreg; the writer is
gen_weakref_py.py's.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_weakref_py import write_header  # noqa: E402

if __name__ == "__main__":
    write_header("copyreg")
