café = 'crème brûlée'
名前 = "中文字符"
emoji = '😀 🎉'
mixed = 'a' + 'é' + '€' + '😀'
Ωmega = 1
print(café, 名前, Ωmega)
x = 'é' ; y = 1
