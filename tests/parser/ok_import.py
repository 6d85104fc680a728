import a
import a, b
import a.b.c
import a as b
import a.b as c, d
from a import b
from a import b as c, d
from a import (b, c)
from a import (b as c,
               d,)
from . import x
from .. import y
from .a import z
from ...a.b import w
from .... import v
import sys, gc, weakref, tracemalloc
