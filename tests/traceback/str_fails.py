class Weird(Exception):
    def __str__(self):
        raise RuntimeError("no")


raise Weird(1)
