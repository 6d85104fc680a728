x = {*ba f=or a in b}
