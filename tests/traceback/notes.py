try:
    raise ValueError("bad value")
except ValueError as e:
    e.add_note("while loading config")
    e.add_note("line 2 of the note\nand more")
    raise
