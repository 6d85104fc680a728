closed = []
class Conn:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        closed.append(self.name)

def open_conn(name):
    c = Conn(name)
    return c.name.upper()

print(open_conn("a"), open_conn("b"))
