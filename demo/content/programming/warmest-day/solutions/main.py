n = int(input())
t = list(map(int, input().split()))
best = 0
for i in range(1, n):
    if t[i] > t[best]:
        best = i
print(t[best], best + 1)
