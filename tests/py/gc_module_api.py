# The gc module's functions, values and error messages.
import gc

def attempt(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__ + ":", e)
    else:
        print(repr(r))

print(gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
print(type(gc.garbage), gc.garbage, type(gc.callbacks), gc.callbacks)
print(gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())

print(gc.get_threshold())
gc.set_threshold(500)
print(gc.get_threshold())
gc.set_threshold(100, 20)
print(gc.get_threshold())
gc.set_threshold(-5, 3, 0)
print(gc.get_threshold())
attempt(lambda: gc.set_threshold())
attempt(lambda: gc.set_threshold(1, 2, 3, 4))
attempt(lambda: gc.set_threshold(x=1))
attempt(lambda: gc.set_threshold("a"))
attempt(lambda: gc.set_threshold(1.5))
attempt(lambda: gc.set_threshold(2 ** 31))
attempt(lambda: gc.set_threshold(-2 ** 31 - 1))
attempt(lambda: gc.set_threshold(2 ** 70))
attempt(lambda: gc.set_threshold(7, "b"))
print(gc.get_threshold())
gc.set_threshold(True, False, 9)
print(gc.get_threshold())
gc.set_threshold(700, 10, 10)
print(gc.get_threshold())

print(gc.get_debug())
gc.set_debug(gc.DEBUG_SAVEALL | gc.DEBUG_STATS)
print(gc.get_debug())
gc.set_debug(0)
print(gc.get_debug())
attempt(lambda: gc.set_debug("x"))
attempt(lambda: gc.set_debug(2 ** 31))
attempt(lambda: gc.set_debug(1.0))
print(gc.get_debug())

attempt(lambda: gc.collect(3))
attempt(lambda: gc.collect(-1))
attempt(lambda: gc.collect(1, 2))
attempt(lambda: gc.collect(1, generation=1))
attempt(lambda: gc.collect(gen=1))
attempt(lambda: gc.collect(generation=1, x=2))
attempt(lambda: gc.collect("x"))
attempt(lambda: gc.collect(None))
attempt(lambda: gc.collect(2 ** 40))
attempt(lambda: gc.collect(1.0))
attempt(lambda: gc.collect(generation=0))
attempt(lambda: gc.collect(True))
attempt(lambda: gc.collect(2))

attempt(lambda: gc.get_objects(3))
attempt(lambda: gc.get_objects(-2))
attempt(lambda: gc.get_objects(2 ** 70))
attempt(lambda: gc.get_objects("a"))
attempt(lambda: gc.get_objects(1.5))
attempt(lambda: gc.get_objects(1, 2))
attempt(lambda: gc.get_objects(gen=1))
attempt(lambda: gc.get_objects(generation=1, x=1))
attempt(lambda: type(gc.get_objects(generation=None)))
attempt(lambda: type(gc.get_objects(-1)))

attempt(lambda: gc.get_referrers(x=1))
attempt(lambda: gc.get_referents(x=1))
print(gc.get_referents(), gc.get_referents(1, "a", None, int, 2.5))

class C:
    pass
probe = [C, C(), [], (), (1, 2), {}, {"a": 1}, {"a": []}, set(), frozenset(), 1, "s", None,
         int, lambda: 0, range(3), 1.5, True]
print([gc.is_tracked(o) for o in probe])
print([gc.is_finalized(o) for o in probe])

stats = gc.get_stats()
print(type(stats), len(stats), [sorted(s) for s in stats])
print(all(isinstance(v, int) for s in stats for v in s.values()))
count = gc.get_count()
print(type(count), len(count))
print(gc.get_freeze_count())
gc.freeze()
print(gc.get_freeze_count() > 0, gc.get_count())
gc.unfreeze()
print(gc.get_freeze_count())
print(gc.enable(), gc.disable(), gc.freeze(), gc.unfreeze(), gc.set_debug(0))
gc.enable()
