# tabular Q-learning on a 1-D corridor, with a tiny LCG for reproducible exploration
n_states = 20
n_actions = 2
Q = [[0.0] * n_actions for _ in range(n_states)]
alpha = 0.1
gamma = 0.95
eps = 0.1
rng = 12345
def rand():
    global rng
    rng = (rng * 1103515245 + 12345) % 2147483648
    return rng / 2147483648
steps_total = 0
for episode in range(2000):
    s = 0
    steps = 0
    while s != n_states - 1 and steps < 200:
        if rand() < eps:
            a = 0 if rand() < 0.5 else 1
        else:
            q = Q[s]
            a = 0 if q[0] > q[1] else 1
        s2 = s + 1 if a == 1 else max(s - 1, 0)
        r = 1.0 if s2 == n_states - 1 else -0.01
        best = max(Q[s2])
        Q[s][a] += alpha * (r + gamma * best - Q[s][a])
        s = s2
        steps += 1
    steps_total += steps
print(steps_total, round(Q[0][1], 6))
