print('hello, world')
print("it's")
