a = 'pre ' f'{x}' ' post'
b = f'{x}' f'{y}'
c = u'u' f'{z}' 'w'
d = ('first {x} '
     f'second {y} '
     f'third {z}')
e = f'{x}' '' f''
g = '' f'{x}'
