a = f'''
{x}
'''
b = f'''line one
  {y} and {z}
last {w!r}'''
c = f'''{
x
+ 1}'''
d = (1,
     f'{a} {b}')
e = f'''start {x:
>10}'''
