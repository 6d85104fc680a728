# The sys names PyMemLab models besides the basics (sys_basic.py): float_info, int_info,
# maxunicode, float_repr_style, exception(), _getframe(), getallocatedblocks().
import sys

print(sys.float_info)
print(sys.int_info)
print(sys.float_info.max, sys.float_info.epsilon, sys.float_info.dig, sys.float_info[7],
      len(sys.float_info), sys.float_info.n_fields, sys.float_info.n_sequence_fields,
      sys.float_info.n_unnamed_fields)
print(sys.int_info.bits_per_digit, sys.int_info.sizeof_digit, sys.int_info.__match_args__)
print(type(sys.float_info), type(sys.int_info), type(sys.version_info))
print(sys.version_info.__match_args__, sys.version_info.n_fields, sys.version_info[:2])
print(isinstance(sys.float_info, tuple), sys.float_info == tuple(sys.float_info))
print(type(sys.int_info)((1, 2, 3, 4)))
for t, a in ((type(sys.float_info), (1,)), (type(sys.int_info), 5), (type(sys.version_info), ())):
    try:
        t(a)
    except TypeError as e:
        print(e)
print(sys.maxunicode, chr(sys.maxunicode) == "\U0010ffff", sys.float_repr_style)

print(sys.exception())
try:
    1 / 0
except ZeroDivisionError:
    print(repr(sys.exception()), sys.exception() is sys.exc_info()[1])
    try:
        raise KeyError("k")
    except KeyError:
        print(repr(sys.exception()))
    print(repr(sys.exception()))
print(sys.exception())


def inner():
    return sys._getframe(), sys._getframe(1)


me, caller = inner()
print(type(me).__name__, me.f_code.co_name, caller.f_code.co_name,
      sys._getframe().f_code.co_name)
try:
    sys._getframe(10**6)
except ValueError as e:
    print(e)
try:
    sys._getframe("x")
except TypeError as e:
    print(e)
n = sys.getallocatedblocks()
print(type(n).__name__, n > 0)
sys._clear_type_cache()
print(sorted(set(dir(sys)) & {"float_info", "int_info", "maxunicode", "exception",
                               "_getframe", "getallocatedblocks", "_clear_type_cache"}))
