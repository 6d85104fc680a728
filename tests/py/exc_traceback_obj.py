def fail():
    raise ValueError("x")


try:
    fail()
except ValueError as e:
    tb = e.__traceback__
    print(type(tb).__name__, tb.tb_lineno, tb.tb_next.tb_lineno, tb.tb_next.tb_next)
    print(tb.tb_frame.f_code.co_name, tb.tb_next.tb_frame.f_code.co_name)
    e2 = ValueError("y").with_traceback(tb)
    print(e2.__traceback__ is tb)
