total = 0
i = 0
while i < 3000000:
    total += i * 2 % 7
    i += 1
print(total)
def f():
    s = 0.0
    for k in range(2000000):
        s += k * 0.5
    return s
print(f())
