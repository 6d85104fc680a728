(x for x i+ y) = 1
