e = TypeError("wrong type")
e.add_note("hint: pass an int")
raise e
