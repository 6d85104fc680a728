try:
    pass
except:
    pass
try:
    x
except E:
    pass
try:
    x
except E as e:
    pass
try:
    x
except (A, B):
    pass
try:
    x
except (A, B) as e:
    pass
except C:
    pass
else:
    y
finally:
    z
try:
    x
finally:
    y
try:
    pass
except E: pass
else: pass
finally: pass
try:
    try:
        x
    except:
        raise
except:
    pass
