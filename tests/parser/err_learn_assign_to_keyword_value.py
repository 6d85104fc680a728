None = x
