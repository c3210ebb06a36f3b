xs = []
for i in range(300000):
    xs.append(i * 2)
d = {}
for i in range(300000):
    d[i] = xs[i] + 1
words = {}
for i in range(200000):
    k = "w" + str(i % 1000)
    words[k] = words.get(k, 0) + 1
print(len(xs), len(d), sum(d.values()), len(words), [x for x in xs if x % 3 == 0][-1])
