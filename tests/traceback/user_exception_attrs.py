class TableError(Exception):
    def __init__(self, table, msg):
        super().__init__(msg)
        self.table = table


class Empty(TableError):
    pass


def check(table):
    if not table:
        raise Empty(table, "table %r is empty" % (table,))


e = TableError([1], "x")
print(e.table, e.args, str(e), repr(e))
check([])
