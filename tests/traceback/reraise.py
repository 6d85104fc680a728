def risky():
    raise ValueError("inner")


def wrapper():
    try:
        risky()
    except ValueError:
        print("cleaning up")
        raise


wrapper()
