print("start")
x = [0] * 10**10
