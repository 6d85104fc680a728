# gc.callbacks: ("start", info) and ("stop", info) around every collection, automatic ones
# included; a failing callback is reported and the others still run.
import gc

log = []
def record(phase, info):
    log.append((phase, info["generation"], info["collected"], info["uncollectable"], sorted(info)))

gc.collect()
gc.callbacks.append(record)
junk = []
junk.append(junk)
del junk
print(gc.collect())
print(log)
log.clear()
print(gc.collect(1), log)
log.clear()

class Link:
    pass
gc.collect()
gc.set_threshold(50, 1000, 1000)
before = gc.get_stats()[0]["collections"]
for i in range(200):
    a = Link()
    b = Link()
    a.other = b
    b.other = a
del a, b
gc.callbacks.remove(record)
auto = [entry for entry in log if entry[0] == "stop"]
print("automatic collections:", len(auto), gc.get_stats()[0]["collections"] - before)
print("all generation 0:", all(entry[1] == 0 for entry in auto))
print("found by them:", sum(entry[2] for entry in auto))
print("left:", gc.collect())
gc.set_threshold(700, 10, 10)
gc.callbacks.append(record)
log.clear()

def broken(phase, info):
    raise RuntimeError("callback failed")
gc.callbacks.insert(0, broken)
print(gc.collect(0), len(log))
gc.callbacks.remove(broken)
log.clear()

def collector_inside(phase, info):
    log.append(("nested collect", gc.collect()))
gc.callbacks.append(collector_inside)
gc.collect(0)
print(log)
gc.callbacks.remove(collector_inside)
log.clear()

gc.callbacks.clear()
print(gc.callbacks)
