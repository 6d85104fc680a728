x = (f'{a}'
     f'{b}')
y = f'{a:{b}}' + f'{c!r}'
z = [f'{i}' for i in range(3)]
w = f'''a
{
b
}
c {d} e'''
v = f'{"nested " + x}' f"{'q'}"
u = rf'\d{x}\n'
t = f'{x:%Y-%m-%d}'
s = f'{x:{"<" if y else ">"}10}'
r = f'{{{x}}}'
q = f'{x}{{}}{y}'
p = f'a' 'b' f'{c}' 'd'
