f(a=1 for x i n)
