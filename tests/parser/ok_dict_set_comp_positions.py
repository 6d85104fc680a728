d = {k:
     v for k, v in
     items}
s = {
  x
  for x in y
}
