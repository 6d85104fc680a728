a = 'single'
b = "double"
c = '''triple
single'''
d = """triple "double"
  with 'quotes'"""
e = 'it\'s'
f = "say \"hi\""
g = "mixed ' quote"
h = 'mixed " quote'
i = 'both \' and "'
j = ''
k = ""
l = r'raw \n \d'
m = R"raw"
o = U'upper u'
p = u'lower u'
