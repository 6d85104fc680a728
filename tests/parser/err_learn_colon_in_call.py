print(x:)
