def cleanup(resource):
    return resource.close()


def work():
    try:
        1 / 0
    except ZeroDivisionError:
        cleanup(None)


work()
