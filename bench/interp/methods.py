class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def add(self, other):
        return Vec(self.x + other.x, self.y + other.y)
    def norm2(self):
        return self.x * self.x + self.y * self.y

class Counter:
    def __init__(self):
        self.n = 0
    def step(self, k):
        self.n += k
        return self.n

v = Vec(0, 0)
d = Vec(1, 2)
c = Counter()
for i in range(300000):
    v = v.add(d)
    c.step(1)
print(v.norm2(), c.n)
