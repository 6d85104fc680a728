import gc
gc.enable()

class Job:
    freed = 0
    def __init__(self, n):
        self.n = n
        self.me = self
    def __del__(self):
        type(self).freed += 1

for i in range(2000):
    Job(i)
freed_during_loop = Job.freed
print(freed_during_loop, "jobs freed during the loop")
