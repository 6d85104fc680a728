ADMIN = "admin"

def is_admin(name):
    return name == ADMIN

print(is_admin("admin"))
