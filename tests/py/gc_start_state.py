# The collector as a fresh CPython 3.11 process has it when the script starts: the counts
# after `import gc`, default settings, nothing frozen or saved.
import gc
print(gc.get_count())
print(gc.isenabled(), gc.get_threshold(), gc.get_debug(), gc.callbacks, gc.garbage)
print(gc.get_freeze_count(), [s["uncollectable"] for s in gc.get_stats()])
t = (1, 2, 3)
x = 5
rt = (x, x + 1)
print(gc.is_tracked(t), gc.is_tracked(rt))
