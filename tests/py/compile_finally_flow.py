# Control flow through finally bodies that the compiler copies for return/break/continue,
# try/except/else, and `not` folded into `is`/`in` comparisons.


def continue_after_return():
    out = []
    for i in range(3):
        try:
            out.append(i)
            return out            # the finally's `continue` drops this return value
        finally:
            if i < 2:
                continue
    return "loop ended"


def break_after_return():
    for i in range(3):
        try:
            return i
        finally:
            break
    return "broke out"


def return_in_finally():
    try:
        return "try"
    finally:
        return "finally"


def loops_in_finally():
    seen = []
    for i in range(3):
        try:
            try:
                if i == 1:
                    break
                if i == 0:
                    continue
            except ValueError:
                seen.append("handler")
        finally:
            for a in range(2):
                for b in range(2):
                    seen.append((i, a, b))
                    break
            while False:
                pass
    return seen


def else_before_handlers(fail_in_else):
    log = []
    try:
        log.append("body")
    except KeyError:
        log.append("handler")
    else:
        log.append("else")
        if fail_in_else:
            try:
                {}["missing"]
            except KeyError as e:
                log.append("inner " + repr(e))
    finally:
        log.append("finally")
    return log


def break_from_named_handler(log):
    for k in range(2):
        try:
            try:
                raise ValueError(k)
            except ValueError as e:
                break                  # leaves the handler's two blocks, then the finally
        finally:
            log.append("finally")
            if k == 0:
                raise KeyError("raised in finally")
    return log


class Odd:
    def __contains__(self, item):
        return item % 2


print(continue_after_return())
print(break_after_return())
print(return_in_finally())
print(loops_in_finally())
print(else_before_handlers(False), else_before_handlers(True))
finally_log = []
try:
    break_from_named_handler(finally_log)
except KeyError as e:
    print("KeyError", e, finally_log, repr(e.__context__))
odd = Odd()
x = [1, 2]
print(not (3 in odd), not (4 in odd), not not (3 in odd), not (3 not in odd))
print(not (x is x), not (x is not x), not not (x is x), not (1 in x), not (5 not in x))
n = 0
while n < 10:
    n += 1
    if n == 3:
        break
else:
    print("no break")
print(n)
