class ValidationError(Exception):
    def __init__(self, field, msg):
        super().__init__(msg)
        self.field = field


def validate(age):
    if age < 0:
        raise ValidationError("age", "age must be >= 0, got %d" % age)


validate(3)
print("ok")
validate(-1)
