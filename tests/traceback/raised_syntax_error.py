raise SyntaxError("bad thing", ("cfg.py", 2, 3, "  x = = 1\n", 2, 6))
